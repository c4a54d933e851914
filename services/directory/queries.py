"""Read side of the directory: organisations for everyone, people as the caller may see them,
and the two questions the gateway asks: who signs in, and is this person still active."""

from sqlalchemy import func, or_, select

from services.directory import domain
from services.directory.domain import DirectoryRefused, PersonStatus
from services.directory.passwords import Passwords
from services.directory.store import Organisation, Person
from shared.http import Caller
from shared.service import Runtime


async def organisations(
    rt: Runtime, kind: str | None, profile: str | None, text: str | None, limit: int, offset: int
) -> list[Organisation]:
    query = select(Organisation)
    if kind:
        query = query.where(Organisation.kind == kind)
    if profile:
        marker = f"%|{profile}|%"
        query = query.where(
            or_(Organisation.profiles.like(marker), Organisation.tl_subjects.like(marker))
        )
    if text:
        words = f"%{text.lower()}%"
        query = query.where(
            or_(
                *(
                    func.lower(column).like(words)
                    for column in (
                        Organisation.name,
                        Organisation.id,
                        Organisation.municipality,
                        Organisation.place,
                    )
                )
            )
        )
    async with rt.db.sessions() as tx:
        rows = await tx.scalars(
            query.order_by(Organisation.kind, Organisation.name).limit(limit).offset(offset)
        )
        return list(rows)


async def organisation(rt: Runtime, organisation_id: str) -> Organisation:
    async with rt.db.sessions() as tx:
        found = await tx.get(Organisation, organisation_id)
    if found is None:
        raise DirectoryRefused("deze organisatie bestaat niet", 404)
    return found


async def organisation_ids(rt: Runtime) -> set[str]:
    async with rt.db.sessions() as tx:
        return set(await tx.scalars(select(Organisation.id)))


async def person_ids(rt: Runtime) -> set[str]:
    async with rt.db.sessions() as tx:
        return set(await tx.scalars(select(Person.id)))


async def people(
    rt: Runtime, who: Caller, organisation_id: str | None, role: str | None, limit: int, offset: int
) -> list[Person]:
    organisation_id = domain.may_see_people_of(who.role, who.organisation, organisation_id)
    query = select(Person)
    if organisation_id:
        query = query.where(Person.organisation_id == organisation_id)
    if role:
        query = query.where(Person.role == role)
    async with rt.db.sessions() as tx:
        rows = await tx.scalars(
            query.order_by(Person.organisation_id, Person.name).limit(limit).offset(offset)
        )
        return list(rows)


async def person(rt: Runtime, who: Caller, person_id: str) -> Person:
    async with rt.db.sessions() as tx:
        found = await tx.get(Person, person_id)
    # Someone else's person reads as unknown: ids of other organisations stay unconfirmed.
    if found is None or (
        who.role not in domain.SEES_EVERYONE
        and who.actor != found.id
        and who.organisation != found.organisation_id
    ):
        raise DirectoryRefused("deze persoon bestaat niet", 404)
    return found


async def standing(rt: Runtime, person_id: str) -> Person | None:
    async with rt.db.sessions() as tx:
        return await tx.get(Person, person_id)


async def sign_in(rt: Runtime, passwords: Passwords, username: str, password: str) -> Person:
    """The active person with this user name and password; one refusal for every failure."""
    async with rt.db.sessions() as tx:
        found = await tx.scalar(select(Person).where(Person.username == username))
    hashed = found.password_hash if found is not None else None
    if (
        not await passwords.matches(hashed, password)
        or found is None
        or found.status != PersonStatus.ACTIVE
    ):
        raise DirectoryRefused("onbekende gebruiker of onjuist wachtwoord", 401)
    return found
