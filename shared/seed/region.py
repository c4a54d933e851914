"""The region: municipalities, schools, profiles, electives, student numbers.

Source: seed document "Regiovisie en activiteitenplan 2025-2029" (September 2024),
section 4.1 (figures 2, 3, 4, 5), section 4.2 (transfer rates) and section 5 (municipalities).
"""

from __future__ import annotations

from .models import Elective, PoBoard, School, StudentCount, TransferTarget

HOTSPOT_ID = "hotspot"  # "Hotspot T is for Tech" (column H of figure 3)
HOTSPOT_NAME = "Hotspot T is for Tech"

# Section 5 "Afbakening regio".
MUNICIPALITIES: tuple[str, ...] = (
    "Amersfoort",
    "Nijkerk",  # incl. Hoevelaken
    "Utrechtse Heuvelrug",  # Maarsbergen and Doorn
    "Soest",
    "Bunschoten-Spakenburg",
    "Baarn",
    "Leusden",
    "Woudenberg",
)

# Organisation ids of the municipalities ("gemeente-amersfoort", ...), as in PARTNERS.
MUNICIPALITY_IDS: dict[str, str] = {
    name: "gemeente-" + name.lower().replace(" ", "-") for name in MUNICIPALITIES
}

# vmbo profiles named in the document. Hard tech = the four "harde techniekprofielen" (section 2).
PROFILES: dict[str, str] = {
    "BWI": "Bouwen, wonen en interieur",
    "PIE": "Produceren, installeren en energie",
    "M&T": "Mobiliteit en transport",
    "MVI": "Media, vormgeving en ICT",
    "D&P": "Dienstverlening en producten",
    "Groen": "Groen",
    "ZW": "Zorg en welzijn",
    "EO": "Economie en ondernemen",
    "HBR": "Horeca, bakkerij en recreatie",
    "T&T": "Technologie en toepassing",  # vmbo-tl subject
}
HARD_TECH_PROFILES: tuple[str, ...] = ("BWI", "PIE", "M&T", "MVI")
SCHOOL_KINDS: tuple[str, ...] = ("vmbo", "pro", "vso", "mbo", "po", "havo")

_ALL_HARD = ("BWI", "PIE", "M&T", "ZW", "EO", "HBR")

# Figure 4 "Overzicht vmbo, pro/vso en mbo-scholen in de regio", in the figure's order.
# Figure 4 ends many profile lists with "..." (incomplete). An "x" in its basis/kader column
# marks a vmbo school without a named technical profile: profiles=() here. Municipalities come
# from the school's name or well-known location; None where neither is certain.
SCHOOLS: tuple[School, ...] = (
    # -- the five hard-tech schools (figures 2, 3, 9, 10) --
    School(
        "lodenstein",
        "Van Lodenstein College",
        "vmbo",
        "Nijkerk",
        "Hoevelaken",
        _ALL_HARD,
        hard_tech=True,
        figure_name="Lodenstein Hoevelaken",
        note="penvoerder; its director chairs T is for Tech (figure 10)",
    ),
    School(
        "nxt",
        "NXT Maarsbergen",
        "vmbo",
        "Utrechtse Heuvelrug",
        "Maarsbergen",
        _ALL_HARD,
        hard_tech=True,
        figure_name="NXT Maarsbergen",
    ),
    School(
        "element",
        "Het Element",
        "vmbo",
        "Amersfoort",
        None,
        ("BWI", "PIE", "M&T", "D&P", "ZW", "EO", "HBR"),
        has_tl=True,
        hard_tech=True,
        figure_name="Element",
        note='figure 4 reads "HB x": HBR plus a TL mark',
    ),
    School(
        "corlaer",
        "Corlaer College",
        "vmbo",
        "Nijkerk",
        None,
        ("BWI", "PIE", "ZW", "EO"),
        ("D&P",),
        has_tl=True,
        hard_tech=True,
        figure_name="Corlaer College",
    ),
    School(
        "trivium",
        "Trivium College",
        "vmbo",
        "Amersfoort",
        None,
        ("MVI", "D&P", "EO"),
        has_tl=True,
        hard_tech=True,
        figure_name="VMBO Trivium",
        note="the document says talks on joining as hard-tech school are ongoing",
    ),
    # -- other vmbo schools --
    School(
        "oostwende",
        "Oostwende College",
        "vmbo",
        "Bunschoten-Spakenburg",
        None,
        ("D&P",),
        figure_name="Oostwende",
    ),
    School(
        "guido-de-bres",
        "Guido de Brès Amersfoort",
        "vmbo",
        "Amersfoort",
        None,
        ("D&P",),
        figure_name="Guido de Brés Amersfoort",
    ),
    School("yuverta", "Yuverta", "vmbo", None, None, ("Groen",), figure_name="Yuverta"),
    School(
        "aeres-vmbo-nijkerk",
        "Aeres VMBO Nijkerk",
        "vmbo",
        "Nijkerk",
        None,
        ("Groen",),
        figure_name="Aeres VMBO Nijkerk",
    ),
    School("griftland", "Griftland College", "vmbo", "Soest", None, figure_name="Grifland College"),
    School(
        "hooghe-landt",
        "'t Hooghe Landt",
        "vmbo",
        "Amersfoort",
        None,
        (),
        ("T&T",),
        has_tl=True,
        figure_name="t Hooghe landt",
    ),
    School(
        "muurhuizen",
        "Mavo Muurhuizen",
        "vmbo",
        "Amersfoort",
        None,
        (),
        ("T&T",),
        has_tl=True,
        figure_name="Mavo Muurhuizen",
    ),
    School(
        "corderius",
        "Corderius College",
        "vmbo",
        "Amersfoort",
        None,
        (),
        ("T&T",),
        has_tl=True,
        figure_name="Coderius",
    ),
    School(
        "farel",
        "Farel College",
        "vmbo",
        "Amersfoort",
        None,
        (),
        ("T&T",),
        has_tl=True,
        figure_name="Farel",
    ),
    School(
        "amsfoort-college",
        "Amsfoort College",
        "vmbo",
        None,
        None,
        (),
        ("D&P",),
        has_tl=True,
        figure_name="Amsfoort college",
        note="name as spelled in figure 4",
    ),
    School(
        "vathorst", "Vathorst College", "vmbo", "Amersfoort", None, figure_name="Vathorst college"
    ),
    School(
        "atrium",
        "'t Atrium",
        "vmbo",
        "Amersfoort",
        None,
        (),
        ("T&T",),
        has_tl=True,
        figure_name="t Atrium",
    ),
    School(
        "amersfoortse-berg",
        "Amersfoortse Berg",
        "vmbo",
        "Amersfoort",
        None,
        figure_name="Amersfoortse Berg",
    ),
    School("waldheim", "Waldheim Mavo", "vmbo", "Baarn", None, figure_name="Waldheim Mavo"),
    School(
        "lodenstein-amersfoort",
        "Van Lodenstein College Amersfoort",
        "vmbo",
        "Amersfoort",
        None,
        figure_name="Lodenstein Amersfoort",
    ),
    School(
        "nxt-doorn", "NXT Doorn", "vmbo", "Utrechtse Heuvelrug", "Doorn", figure_name="NXT Doorn"
    ),
    School("focus", "Focus College", "vmbo", None, None, figure_name="Focus College"),
    School(
        "nieuwe-eemland",
        "Het Nieuwe Eemland",
        "vmbo",
        "Amersfoort",
        None,
        (),
        ("D&P",),
        has_tl=True,
        figure_name="Het nieuwe Eemland",
    ),
    # -- praktijkonderwijs (type "PRO" in figure 4) --
    School("pro33", "Pro33", "pro", None, None, figure_name="Pro33"),
    School("axia", "Axia College", "pro", "Amersfoort", None, figure_name="Axia"),
    School(
        "beukenrode",
        "Beukenrode Onderwijs",
        "pro",
        "Utrechtse Heuvelrug",
        "Doorn",
        figure_name="Beukerode Onderwijs",
        note="no longer a hard-tech school: no own technical department (figure 4 note)",
    ),
    School("lasenberg", "Lasenberg", "pro", "Leusden", None, figure_name="Lasenberg"),
    School("baander", "Baander", "pro", None, None, figure_name="Baander"),
    School("accent", "Accent Praktijkonderwijs", "pro", "Amersfoort", None, figure_name="Accent"),
    School("beekdal", "Beekdal", "pro", None, None, figure_name="Beekdal"),
    # -- mbo --
    School(
        "mbo-amersfoort", "MBO Amersfoort", "mbo", "Amersfoort", None, figure_name="MBO Amersfoort"
    ),
    School("hoornbeeck", "Hoornbeeck College", "mbo", None, None, figure_name="Hoornbeeck College"),
    School(
        "roc-midden-nederland",
        "ROC Midden Nederland",
        "mbo",
        None,
        None,
        figure_name="ROC Midden nederland",
    ),
    School("aeres-mbo", "Aeres MBO", "mbo", None, None, figure_name="Aeres MBO"),
    # -- primary schools: the document names none (only 132 in the region, 44 active, and
    #    the boards of figure 5). Generated placeholders so po lesson series can be booked.
    School(
        "po-demo-1",
        "Basisschool De Techniek (demo)",
        "po",
        "Amersfoort",
        is_placeholder=True,
        board_id="po-board-02",
    ),
    School(
        "po-demo-2",
        "Basisschool Het Tandwiel (demo)",
        "po",
        "Nijkerk",
        "Hoevelaken",
        is_placeholder=True,
        board_id="po-board-12",
    ),
    School(
        "po-demo-3",
        "Basisschool De Uitvinder (demo)",
        "po",
        "Leusden",
        is_placeholder=True,
        board_id="po-board-03",
    ),
    # -- havo and vso: the document names the kinds (section 4.1) but no school. GENERATED.
    School("havo-demo", "Voorbeeld Lyceum havo (demo)", "havo", "Amersfoort", is_placeholder=True),
    School("vso-demo", "Voorbeeld VSO-school (demo)", "vso", "Soest", is_placeholder=True),
)
SCHOOLS_BY_ID: dict[str, School] = {s.id: s for s in SCHOOLS}
HARD_TECH_SCHOOL_IDS: tuple[str, ...] = ("lodenstein", "element", "corlaer", "nxt", "trivium")
# The "penvoerder": it keeps the declarations and declares the central costs itself.
LEAD_SCHOOL_ID = "lodenstein"

# Section 4.1 "PO Scholen".
PO_SCHOOLS_IN_REGION = 132
PO_SCHOOLS_ACTIVE = 44

# Figure 5 "Koepels PO scholen" (30 boards), in the figure's order.
_PO_BOARD_NAMES = (
    "KPOA-SKOSS",
    "PCBO Amersfoort",
    "Meerkring",
    "Cordeo Scholengroep",
    "Amersfoortse Scholenvereniging",
    "MonTon",
    "Simon Scholen",
    "Auris",
    "Educatis",
    "Vrije School Amersfoort",
    "Scholengroep Wijzer",
    "PCO Gelderse Vallei",
    "STEV",
    "Educare",
    "HSN",
    "Voila",
    "Vereniging voor Montessori Onderwijs",
    "Nederlandse Jenaplan Vereniging",
    "Vereniging 't Blokhuus",
    "De Drieslag",
    "De vereniging tot het verstrekken van basisonderwijs op gereformeerde grondslag",
    "VCPO De Viermaster",
    "De Oorsprong",
    "Wereldkidz",
    "Vereniging tot stichting en instandhouding van scholen, uitgaande van de oud "
    "gereformeerde gemeenten te Ede",
    "Het Sticht",
    "Vereniging Oecumenisch onderwijs",
    "Fluenta",
    "PCBO Baarn-Soest",
    "Finibas",
)
PO_BOARDS: tuple[PoBoard, ...] = tuple(
    PoBoard(f"po-board-{i:02d}", name) for i, name in enumerate(_PO_BOARD_NAMES, start=1)
)

# Figure 2 "Leerlingaantallen" 2019..2023, hard-tech profiles per school.
STUDENT_COUNT_YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023)
_FIGURE_2: tuple[tuple[str, str, tuple[int, int, int, int, int]], ...] = (
    ("nxt", "BWI", (39, 42, 49, 56, 71)),
    ("nxt", "M&T", (38, 37, 33, 28, 28)),
    ("nxt", "PIE", (42, 41, 47, 35, 35)),
    ("element", "BWI", (22, 23, 17, 14, 32)),
    ("element", "M&T", (9, 15, 23, 20, 32)),
    ("element", "PIE", (28, 26, 15, 1, 10)),
    ("corlaer", "BWI", (34, 28, 32, 48, 40)),
    ("corlaer", "PIE", (84, 68, 58, 60, 60)),
    ("lodenstein", "BWI", (113, 110, 118, 126, 129)),
    ("lodenstein", "M&T", (67, 77, 59, 52, 60)),
    ("lodenstein", "PIE", (86, 83, 102, 110, 93)),
    ("trivium", "MVI", (7, 20, 36, 34, 23)),
)
STUDENT_COUNTS: tuple[StudentCount, ...] = tuple(
    StudentCount(school, profile, year, n)
    for school, profile, counts in _FIGURE_2
    for year, n in zip(STUDENT_COUNT_YEARS, counts, strict=True)
)
# Figure 2's own total rows, kept to check the table above.
STUDENT_TOTALS_BY_PROFILE: dict[str, tuple[int, ...]] = {
    "BWI": (208, 203, 216, 244, 272),
    "M&T": (114, 129, 115, 100, 120),
    "PIE": (240, 218, 222, 206, 198),
    "MVI": (7, 20, 36, 34, 23),
}
STUDENT_TOTALS: tuple[int, ...] = (569, 570, 589, 584, 613)  # "Totaal alle profielen"

# Section 4.2 (and section 2): transfer to technical mbo in 2023, and the 2029 targets.
# BWI and PIE are to be kept ("behouden"), so their target equals the current rate.
TRANSFER_TARGETS: tuple[TransferTarget, ...] = (
    TransferTarget("BWI", 83, 83),
    TransferTarget("PIE", 90, 90),
    TransferTarget("M&T", 72, 80),
    TransferTarget("MVI", 58, 65),
    TransferTarget("D&P", 26, 30),
    TransferTarget("Groen", 25, 30),
    TransferTarget("TL", 26, 30),
)

# Figure 3 "Overzicht keuzevakken": which hard-tech school (L, E, C, N, T) or the hotspot (H)
# offers each elective. Codes as printed, normalised to "KV nnnn" / "Module nnnn".
_L, _E, _C, _N, _T, _H = "lodenstein", "element", "corlaer", "nxt", "trivium", HOTSPOT_ID
ELECTIVES: tuple[Elective, ...] = (
    # Bouwen, wonen en interieur (BWI)
    Elective(
        "KV 1207", "Schilderen van hout en steenachtige ondergronden", "BWI", (_L, _E, _C, _N)
    ),
    Elective("KV 1205", "Constructieve aansluitingen en afwerking", "BWI", (_L, _N)),
    Elective("KV 1221", "Bouwrijp en woonrijp maken", "BWI", (_L,)),
    Elective("KV 1225", "Daken en kapconstructies van hout", "BWI", (_L, _N)),
    Elective("KV 1210", "Gevelopeningen", "BWI", (_L, _C)),
    Elective("KV 1208", "Interieurbouw, stands en betimmeringen", "BWI", (_L, _E)),
    Elective("KV 1224", "Bouwkundig onderhoud en renovatie en transformatie", "BWI", (_L,)),
    Elective("KV 1213", "Bouwmethoden en bouwstijlen", "BWI", (_E,)),
    Elective("KV 1206", "Schoon metselwerk", "BWI", (_L, _E, _C, _N)),
    Elective("Module 1202", "Bouwen vanaf fundering", "BWI", (_C,)),
    Elective("KV 1216", "Wandafwerking", "BWI", (_L, _E, _N)),
    Elective("KV 1218", "Onderhoud schilderwerk", "BWI", (_E, _N)),
    Elective("KV 215", "Scheidingswanden", "BWI", (_N,), note="code as printed (sic)"),
    Elective("KV 1220", "Meubel maken", "BWI", (_L, _E, _C, _N)),
    Elective("Module 1203", "Hout en meubelverbindingen", "BWI", (_L, _C)),
    Elective("KV 1223", "Interieurontwerp en design", "BWI", (_L, _E, _C, _N)),
    Elective("Module 1204", "Design en decoratie", "BWI", (_C,)),
    Elective("KV 1231", "Meubel stofferen voor het vmbo", "BWI", (_E, _N)),
    Elective("KV 1232", "Circulair en duurzaam bouwen", "BWI", (_H,)),
    Elective("KV 1228", "Ontwerp duurzame comfortwoning", "BWI", (_H,)),
    Elective("KV 1230", "Tegelzetten voor het vmbo", "BWI", (_L, _E, _N)),
    # Mobiliteit en transport (M&T)
    Elective("KV 1405", "Motorsystemen", "M&T", (_L, _E)),
    Elective("KV 1406", "Aandrijf- en remsysteem", "M&T", (_L, _E, _N)),
    Elective("KV 1407", "Elektronica", "M&T", (_L, _E, _N)),
    Elective("KV 1409", "Fietstechniek", "M&T", (_L, _E, _N)),
    Elective("KV 1410", "Gemotoriseerde tweewieler", "M&T", (_L, _E, _N)),
    Elective("KV 1413", "Verbrandingsmotoren", "M&T", (_E,)),
    Elective("KV 1419", "Elektrische voertuigen", "M&T", (_H,)),
    Elective("KV 1716", "Distributie", "M&T", (_N,)),
    Elective("KV 1416", "Operationele magazijnwerkzaamheden", "M&T", (_N,)),
    Elective("KV 1414", "Ritvoorbereiding en ritafhandeling", "M&T", (_L, _N)),
    Elective("KV 1412", "Autoschade en spuiten", "M&T", (_H,)),
    Elective("KV 1408", "Bedrijfswagens", "M&T", (_L, _N)),
    Elective("KV 1415", "Mobiele werktuigen", "M&T", (_L, _N)),
    # Produceren, installeren en energie (PIE)
    Elective("KV 1326", "Booglasprocessen", "PIE", (_L, _E, _C, _N)),
    Elective("KV 1328", "Praktisch booglassen", "PIE", (_L, _N)),
    Elective("KV 1317", "Verspaningstechnieken", "PIE", (_L, _C, _N, _H)),
    Elective("KV 1327", "Duurzame energie", "PIE", (_L, _E, _C, _N, _H)),
    Elective(
        "KV 1313",
        "CNC-technieken",
        "PIE",
        (_C, _N, _H),
        note="hotspot lessons given at Corlaer College (figure 3, *)",
    ),
    Elective("KV 1314", "Drinkwater & sanitair", "PIE", (_L, _E, _N)),
    Elective("KV 1329", "Domotica en automatisering", "PIE", (_L, _E, _C, _N, _H)),
    Elective("KV 1330", "Koudetechniek", "PIE", (_C, _N)),
    Elective("KV 1318", "Woon- en kantoor technologie", "PIE", (_L, _C, _N)),
    Elective("KV 1305", "Plaat- en constructiewerk", "PIE", (_L, _C, _N)),
    Elective("KV 1311", "Utiliteitsinstallatie", "PIE", (_L, _C, _N)),
    Elective("KV 1316", "Dakbedekking", "PIE", (_N,)),
    Elective("KV 1307", "Klimaat technologie", "PIE", (_L, _N)),
    Elective("KV 1322", "Nutsvoorzieningen", "PIE", (_N,)),
    # Media, vormgeving en ICT (MVI). After a page break figure 3 loses a column; Trivium is
    # the region's only MVI school, so Fotografie is read as Trivium's.
    Elective("KV 1516", "Vormgeven en typografie", "MVI", (_T,)),
    Elective("KV 1511", "Fotografie", "MVI", (_T,), note="column ambiguous in figure 3"),
    # Dienstverlening & producten (D&P). Corlaer from 2025/26 (**); hotspot per section 4.1
    # ("robotica op de hotspot").
    Elective("KV 1906", "Robotica", "D&P", (_C, _H), note="Corlaer College vanaf 25/26"),
)
ELECTIVES_BY_CODE: dict[str, Elective] = {e.code: e for e in ELECTIVES}
