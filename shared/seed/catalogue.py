"""The hotspot's catalogue: equipment, rooms, instructors and the lessons on offer.

Lesson kinds and durations come from section 3.2 and activity plan B of the seed document
(inspiratieles 2 uur, masterklas 4 x 2 uur, keuzevak ong. 60 uur, po-lessenserie 4 lessen:
2 op een vmbo-school en 2 op de po-school), company visits and guest lessons from section 2
and 3.1, the Techclub from plan B. Themes from plan B ("robotica, duurzame energie,
schadeherstel, elektrische voertuigen, 3d printen") and section 4.7 (waterstofauto,
dronetechniek) give each lesson its theme (shared.contracts.common.Theme). Capacities,
rooms, instructor names, asset tags and the hours of lessons whose length the document does
not give are GENERATED demo values.
"""

from __future__ import annotations

from datetime import date

from .models import EquipmentCategory, EquipmentItem, Offering, Room
from .region import HOTSPOT_NAME

# Group levels a booking can name.
AUDIENCES: tuple[str, ...] = (
    "po",
    "vmbo-bb",
    "vmbo-kb",
    "vmbo-gl",
    "vmbo-tl",
    "pro",
    "vso",
    "havo",
    "vwo",
    "mbo",
    "partners",  # events for schools, companies, municipalities (jaarvergadering, op pad)
)
_VMBO = ("vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl")
# "Het gehele programma is beschikbaar voor havo-leerlingen" (plan B).
_VO_ALL = (*_VMBO, "pro", "vso", "havo")

OFFERING_KINDS: tuple[str, ...] = (
    "inspiration_lesson",
    "masterclass",
    "elective",
    "po_series",
    "company_visit",
    "guest_lesson",
    "mbo_lesson",
    "techclub",
    "internship",
)

# Equipment the document names (plan B "Gebruik/uitleen apparatuur/auto's", sections 2 and
# 4.7, plan C "Plastic fantastic", plan A "keuzevak CNC-techniek").
EQUIPMENT_CATEGORIES: tuple[EquipmentCategory, ...] = (
    EquipmentCategory("robot", "Robots en robotsets", "ROB"),
    EquipmentCategory("printer-3d", "3D-printers", "3DP"),
    EquipmentCategory("vr", "VR-sets", "VR"),
    EquipmentCategory("drone", "Drones", "DRN"),
    EquipmentCategory("hydrogen-car", "Waterstofauto", "H2"),
    EquipmentCategory("ev", "Elektrische voertuigen", "EV"),
    EquipmentCategory("cnc", "CNC-apparatuur keuzevak CNC-technieken", "CNC"),
    EquipmentCategory("plastic-shredder", "Kunststofshredder (Plastic fantastic)", "PLS"),
)
EQUIPMENT_CATEGORY_IDS: frozenset[str] = frozenset(c.id for c in EQUIPMENT_CATEGORIES)

# Items: asset tags, names of individual items and quantities are GENERATED.
_HS = "Hotspot"
EQUIPMENT: tuple[EquipmentItem, ...] = (
    EquipmentItem("tft-rob-001", "TFT-ROB-001", "robot", "Robotset klasset A", 12, _HS),
    EquipmentItem("tft-rob-002", "TFT-ROB-002", "robot", "Robotset klasset B", 12, _HS),
    EquipmentItem("tft-3dp-001", "TFT-3DP-001", "printer-3d", "3D-printer 1", 1, _HS),
    EquipmentItem("tft-3dp-002", "TFT-3DP-002", "printer-3d", "3D-printer 2", 1, _HS),
    EquipmentItem("tft-3dp-003", "TFT-3DP-003", "printer-3d", "3D-printer 3", 1, _HS),
    EquipmentItem("tft-3dp-004", "TFT-3DP-004", "printer-3d", "3D-printer 4", 1, _HS),
    EquipmentItem("tft-vr-001", "TFT-VR-001", "vr", "VR-brillen klasset", 10, _HS),
    EquipmentItem("tft-drn-001", "TFT-DRN-001", "drone", "Lesdrones set", 8, _HS),
    EquipmentItem("tft-h2-001", "TFT-H2-001", "hydrogen-car", "Waterstofauto", 1, _HS),
    EquipmentItem("tft-ev-001", "TFT-EV-001", "ev", "Elektrische auto (lesvoertuig)", 1, _HS),
    EquipmentItem("tft-ev-002", "TFT-EV-002", "ev", "Elektrische scooter (lesvoertuig)", 1, _HS),
    # The CNC elective runs "op locatie Corlaer College" (figure 3, *): a stationary machine.
    EquipmentItem(
        "tft-cnc-001",
        "TFT-CNC-001",
        "cnc",
        "CNC-freesmachine keuzevak CNC-technieken",
        1,
        "Corlaer College",
        loanable=False,
    ),
    EquipmentItem(
        "tft-pls-001",
        "TFT-PLS-001",
        "plastic-shredder",
        "Bouwpakket kunststofshredder Plastic fantastic",
        3,
        _HS,
    ),
)

# GENERATED rooms. Hotspot rooms plus the places where lessons outside the hotspot happen.
ROOMS: tuple[Room, ...] = (
    Room("hotspot-lokaal-1", "Hotspot lokaal 1 (robotica en domotica)", HOTSPOT_NAME),
    Room("hotspot-lokaal-2", "Hotspot lokaal 2 (maakplaats: 3D, VR, drones)", HOTSPOT_NAME),
    Room("hotspot-werkplaats", "Hotspot werkplaats mobiliteit", HOTSPOT_NAME),
    Room("hotspot-bouw-energie", "Hotspot lokaal bouw en energie", HOTSPOT_NAME),
    Room("corlaer-cnc", "CNC-lokaal Corlaer College", "Corlaer College"),
    Room("vmbo-praktijklokaal", "Praktijklokaal harde techniekschool", "vmbo-school"),
    Room("po-klaslokaal", "Klaslokaal po-school", "po-school"),
    Room("school-klaslokaal", "Klaslokaal eigen school", "eigen school"),
    Room("mbo-praktijklokaal", "Praktijklokaal MBO Amersfoort", "MBO Amersfoort"),
    Room("bedrijf-bouw", "Bedrijfslocatie Voorbeeld Bouw BV", "Voorbeeld Bouw BV"),
    Room(
        "bedrijf-installatie",
        "Bedrijfslocatie Voorbeeld Installatietechniek BV",
        "Voorbeeld Installatietechniek BV",
    ),
)
ROOMS_BY_ID: dict[str, Room] = {r.id: r for r in ROOMS}

# GENERATED placeholder names (no persons are named in the seed; AVG: keep it that way).
INSTRUCTORS: tuple[str, ...] = tuple(f"Instructeur hotspot {i}" for i in range(1, 5))


def _insp(slug: str, title: str, theme: str, equipment: tuple[str, ...] = ()) -> Offering:
    return Offering(
        f"insp-{slug}",
        "inspiration_lesson",
        f"Inspiratieles {title}",
        _VO_ALL,
        None,
        2.0,
        1,
        30,
        HOTSPOT_NAME,
        equipment,
        theme=theme,
    )


def _master(
    slug: str, title: str, theme: str, equipment: tuple[str, ...] = (), core_task: str = "B"
) -> Offering:
    return Offering(
        f"mk-{slug}",
        "masterclass",
        f"Masterklas {title}",
        _VO_ALL,
        None,
        2.0,
        4,
        16,
        HOTSPOT_NAME,
        equipment,
        core_task=core_task,
        theme=theme,
    )


def _elective(
    code: str,
    title: str,
    profile: str,
    theme: str,
    equipment: tuple[str, ...] = (),
    location: str = HOTSPOT_NAME,
    core_task: str = "B",
) -> Offering:
    # "keuzevakken ... (ong. 60 uren)": split into 20 x 3 hours (GENERATED split).
    return Offering(
        f"kv-{code.split()[-1]}",
        "elective",
        f"Keuzevak {title} ({code})",
        (*_VMBO, "havo"),
        profile,
        3.0,
        20,
        16,
        location,
        equipment,
        elective_code=code,
        core_task=core_task,
        theme=theme,
    )


OFFERINGS: tuple[Offering, ...] = (
    # Inspiratielessen (2 uur), plan B and section 3.2.
    _insp("robotica", "Robotica", "robotics", ("robot",)),
    _insp("duurzame-energie", "Duurzame energie", "sustainable_energy"),
    _insp(
        "elektrische-voertuigen",
        "Elektrische voertuigen en waterstof",
        "electric_vehicles",
        ("ev", "hydrogen-car"),
    ),
    _insp("schadeherstel", "Schadeherstel", "damage_repair"),
    _insp("3d-printen", "3D printen", "3d_printing", ("printer-3d",)),
    _insp("drones", "Dronetechniek", "drones", ("drone",)),
    _insp("vr", "VR en 3D modelleren", "vr", ("vr",)),
    # "Er worden ook inspiratielessen voor po leerlingen gegeven op de hotspot" (plan B);
    # length not given: 1.5 h GENERATED.
    Offering(
        "insp-po-techniek",
        "inspiration_lesson",
        "Inspiratieles techniek voor het po",
        ("po",),
        None,
        1.5,
        1,
        30,
        HOTSPOT_NAME,
        ("robot",),
        theme="robotics",
    ),
    # Masterklassen (4 x 2 uur).
    _master("robotica", "Robotica en domotica", "robotics", ("robot",)),
    _master("3d-ontwerpen", "3D ontwerpen en printen", "3d_printing", ("printer-3d", "vr")),
    _master(
        "elektrisch-rijden",
        "Elektrisch rijden en waterstof",
        "electric_vehicles",
        ("ev", "hydrogen-car"),
    ),
    # Plan C "Plastic fantastic": recycling lessons with the shredder kit.
    _master(
        "plastic-fantastic",
        "Plastic fantastic: kunststof recyclen",
        "sustainable_energy",
        ("plastic-shredder",),
        core_task="C",
    ),
    # Keuzevakken at the hotspot: column H of figure 3.
    _elective("KV 1232", "Circulair en duurzaam bouwen", "BWI", "construction"),
    _elective("KV 1228", "Ontwerp duurzame comfortwoning", "BWI", "construction"),
    _elective(
        "KV 1419", "Elektrische voertuigen", "M&T", "electric_vehicles", ("ev", "hydrogen-car")
    ),
    _elective("KV 1412", "Autoschade en spuiten", "M&T", "damage_repair"),
    _elective("KV 1317", "Verspaningstechnieken", "PIE", "metal"),
    _elective("KV 1327", "Duurzame energie", "PIE", "sustainable_energy"),
    # Plan A: "Het keuzevak CNC-techniek beschikbaar maken voor meerdere scholen".
    _elective(
        "KV 1313",
        "CNC-technieken",
        "PIE",
        "metal",
        ("cnc",),
        location="Corlaer College",
        core_task="A",
    ),
    _elective("KV 1329", "Domotica en automatisering", "PIE", "robotics", ("robot",)),
    _elective("KV 1906", "Robotica", "D&P", "robotics", ("robot",)),
    # Po-lessenseries: 4 lessons, 2 at a vmbo school and 2 at the po school (1.5 h GENERATED).
    Offering(
        "po-lessenserie-robotica",
        "po_series",
        "Lessenserie techniek po: robotica",
        ("po",),
        None,
        1.5,
        4,
        30,
        "vmbo-school en po-school",
        ("robot",),
        theme="robotics",
    ),
    Offering(
        "po-lessenserie-duurzaamheid",
        "po_series",
        "Lessenserie techniek po: duurzame energie",
        ("po",),
        None,
        1.5,
        4,
        30,
        "vmbo-school en po-school",
        theme="sustainable_energy",
    ),
    # Bedrijfsbezoeken "waarbij ... er altijd een praktijkopdracht is" (section 3.2), plan D.
    # Host companies and assignments GENERATED.
    Offering(
        "bedrijfsbezoek-bouw",
        "company_visit",
        "Bedrijfsbezoek bouw met praktijkopdracht",
        (*_VO_ALL, "vwo"),
        "BWI",
        2.0,
        1,
        25,
        "Voorbeeld Bouw BV",
        core_task="D",
        host_company="voorbeeld-bouw",
        theme="construction",
        assignment="Meet een bouwkavel uit en zet in tweetallen een stuk fundering uit.",
    ),
    Offering(
        "bedrijfsbezoek-installatie",
        "company_visit",
        "Bedrijfsbezoek installatietechniek met praktijkopdracht",
        (*_VO_ALL, "vwo"),
        "PIE",
        2.0,
        1,
        25,
        "Voorbeeld Installatietechniek BV",
        core_task="D",
        host_company="voorbeeld-installatie",
        theme="installation",
        assignment="Sluit in groepjes een thermostaat en een groepenkast-oefenpaneel aan.",
    ),
    # Stageplaatsen (section 3.1; plan A: "De stages voor leerlingen PIE, BWI en M&T"); the
    # number of places, the year and the period are GENERATED. Its session is the first day.
    Offering(
        "stage-bouw-2026",
        "internship",
        "Snuffelstage bouw leerjaar 3 (december 2026)",
        ("vmbo-bb", "vmbo-kb", "vmbo-gl"),
        "BWI",
        8.0,
        1,
        6,
        "Voorbeeld Bouw BV",
        core_task="A",
        host_company="voorbeeld-bouw",
        internship_year=3,
        period=(date(2026, 12, 7), date(2026, 12, 18)),
        theme="construction",
    ),
    # Gastlessen (section 2: "bedrijven bezoeken of gastlessen krijgen").
    Offering(
        "gastles-bedrijfsleven",
        "guest_lesson",
        "Gastles vanuit het technisch bedrijfsleven",
        _VO_ALL,
        None,
        1.5,
        1,
        30,
        "eigen school",
    ),
    # Section 3.1: "in leerjaar 3 en 4 gastlessen/modules te laten volgen op het mbo"; plan A.
    Offering(
        "mbo-module-techniek",
        "mbo_lesson",
        "Module techniek op het mbo (leerjaar 3-4)",
        ("vmbo-bb", "vmbo-kb"),
        None,
        2.0,
        1,
        20,
        "MBO Amersfoort",
        core_task="A",
    ),
    # Plan B: "Bij de wekelijkse Techclub kunnen jongeren vrij inlopen".
    Offering(
        "techclub",
        "techclub",
        "Techclub (wekelijkse inloop)",
        ("po", *_VMBO),
        None,
        2.0,
        1,
        15,
        HOTSPOT_NAME,
        ("robot", "printer-3d"),
    ),
)
OFFERINGS_BY_ID: dict[str, Offering] = {o.id: o for o in OFFERINGS}
