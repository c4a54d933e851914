"""Demo data: the region's organisations from the plan, and demo people who can sign in.

The first accounts are the platform's historical demo accounts (README): same user names,
roles and organisations, so their tokens carry the same claims. Every demo person's password
is TFT_DEMO_PASSWORD; each person's id (the token's `sub`) is their user name.
"""

from dataclasses import dataclass
from datetime import datetime

from services.directory import commands, queries
from services.directory.domain import PersonStatus
from services.directory.passwords import Passwords
from services.directory.settings import DirectorySettings
from services.directory.store import Organisation, Person, joined
from shared import seed
from shared.domain import (
    ADMIN,
    BACKOFFICE,
    COMPANY,
    FINANCE,
    MUNICIPALITY,
    PROGRAMME,
    SCHOOL,
    TEACHER,
)
from shared.service import Runtime

# The programme's own organisations: the ids the historical demo accounts carry.
CENTRAL = (
    ("tft", "T is for Tech programmabureau", "central"),
    ("finance", "Financiële administratie penvoerder (Van Lodenstein College)", "central"),
    ("backoffice", "Backoffice Hotspot T is for Tech", "hotspot"),
)


@dataclass(frozen=True)
class DemoPerson:
    username: str
    role: str
    organisation_id: str
    name: str


def _person(username: str, role: str, organisation_id: str, name: str = "") -> DemoPerson:
    return DemoPerson(username, role, organisation_id, name or f"Demo {username}")


# The historical demo accounts: unchanged.
HISTORICAL: tuple[DemoPerson, ...] = (
    _person(BACKOFFICE, BACKOFFICE, BACKOFFICE, "Demo backoffice"),
    _person(FINANCE, FINANCE, FINANCE, "Demo financiële administratie"),
    _person("programma", PROGRAMME, "tft", "Demo programmamanagement"),
    _person(ADMIN, ADMIN, "tft", "Demo beheerder"),
    *(
        _person(s, SCHOOL, s, f"Coördinator {seed.SCHOOLS_BY_ID[s].name}")
        for s in seed.HARD_TECH_SCHOOL_IDS
    ),
    *(_person(c.id, COMPANY, c.id, f"Contactpersoon {c.name}") for c in seed.COMPANIES),
)
# New demo people: a few per kind of organisation, other vmbo types, po, and teachers.
DEMO_PEOPLE: tuple[DemoPerson, ...] = HISTORICAL + (
    _person("docent-corlaer", TEACHER, "corlaer", "Docent techniek Corlaer College"),
    _person("docent-lodenstein", TEACHER, "lodenstein", "Docent PIE Van Lodenstein College"),
    _person("oostwende", SCHOOL, "oostwende", "Coördinator Oostwende College (D&P)"),
    _person("yuverta", SCHOOL, "yuverta", "Coördinator Yuverta (Groen)"),
    _person("hooghe-landt", SCHOOL, "hooghe-landt", "Coördinator 't Hooghe Landt (TL)"),
    _person("axia", SCHOOL, "axia", "Coördinator Axia College (pro)"),
    _person("vso-demo", SCHOOL, "vso-demo", "Coördinator Voorbeeld VSO-school"),
    _person("havo-demo", SCHOOL, "havo-demo", "Coördinator Voorbeeld Lyceum havo"),
    _person("mbo-amersfoort", SCHOOL, "mbo-amersfoort", "Coördinator MBO Amersfoort"),
    _person("po-demo-1", SCHOOL, "po-demo-1", "Coördinator Basisschool De Techniek"),
    _person("po-demo-2", SCHOOL, "po-demo-2", "Coördinator Basisschool Het Tandwiel"),
    _person("docent-po-demo-1", TEACHER, "po-demo-1", "Leerkracht groep 8 De Techniek"),
    _person(
        "gemeente-amersfoort",
        MUNICIPALITY,
        "gemeente-amersfoort",
        "Contactpersoon Gemeente Amersfoort",
    ),
    _person(
        "gemeente-nijkerk", MUNICIPALITY, "gemeente-nijkerk", "Contactpersoon Gemeente Nijkerk"
    ),
)


def organisations(now: datetime) -> list[Organisation]:
    """Every organisation of the plan, boards before the schools that name them."""

    def org(id: str, name: str, kind: str, **fields) -> Organisation:
        return Organisation(
            id=id,
            name=name,
            kind=kind,
            created_at=now,
            updated_at=now,
            **{"profiles": "", "tl_subjects": "", "has_tl": False, "hard_tech": False} | fields,
        )

    return [
        *(org(id, name, kind) for id, name, kind in CENTRAL),
        *(org(b.id, b.name, "po_board") for b in seed.PO_BOARDS),
        *(
            org(
                s.id,
                s.name,
                s.kind,
                municipality=s.municipality,
                place=s.place,
                profiles=joined(s.profiles),
                tl_subjects=joined(s.tl_subjects),
                has_tl=s.has_tl,
                hard_tech=s.hard_tech,
                board_id=s.board_id,
            )
            for s in seed.SCHOOLS
        ),
        *(
            org(c.id, c.name, "company", municipality=c.municipality, branch=c.branch)
            for c in seed.COMPANIES
        ),
        *(
            org(id, f"Gemeente {name}", "municipality", municipality=name)
            for name, id in seed.MUNICIPALITY_IDS.items()
        ),
    ]


async def load(rt: Runtime) -> None:
    settings = rt.settings
    assert isinstance(settings, DirectorySettings)
    now = rt.clock.now()
    present = await queries.organisation_ids(rt)
    missing = [o for o in organisations(now) if o.id not in present]
    if missing:
        await commands.register_organisations(rt, missing)
    known = await queries.person_ids(rt)
    new = [p for p in DEMO_PEOPLE if p.username not in known]
    if new:
        # One hash (one salt) for every demo person keeps start-up fast.
        hashed = await Passwords(settings).hash(settings.demo_password.get_secret_value())
        await commands.register_people(
            rt,
            [
                Person(
                    id=p.username,
                    organisation_id=p.organisation_id,
                    role=p.role,
                    name=p.name,
                    email=f"{p.username}@demo.tisfortech.example",
                    username=p.username,
                    password_hash=hashed,
                    status=PersonStatus.ACTIVE,
                    created_at=now,
                )
                for p in new
            ],
        )
