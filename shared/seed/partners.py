"""Companies and other partner organisations.

The document names no individual companies: it speaks of "een vaste kern van ongeveer 50
bedrijven" from the branches metaal, installatie, mobiliteit, bouw, groen en ICT (section 5
"Bedrijfsleven"). COMPANIES are therefore GENERATED placeholders, one per branch. PARTNERS are
organisations the document does name.
"""

from __future__ import annotations

from .models import Company, Partner

CORE_COMPANY_COUNT = 50  # "vaste kern van ongeveer 50 bedrijven"
BRANCHES: tuple[str, ...] = ("metaal", "installatie", "mobiliteit", "bouw", "groen", "ICT")

_ALL = ("company_visit", "guest_lesson", "internship")
COMPANIES: tuple[Company, ...] = (
    Company("voorbeeld-metaal", "Voorbeeld Metaal BV", "metaal", "Amersfoort", _ALL),
    Company(
        "voorbeeld-installatie", "Voorbeeld Installatietechniek BV", "installatie", "Nijkerk", _ALL
    ),
    Company("voorbeeld-mobiliteit", "Voorbeeld Mobiliteit BV", "mobiliteit", "Leusden", _ALL),
    Company("voorbeeld-bouw", "Voorbeeld Bouw BV", "bouw", "Amersfoort", _ALL),
    Company(
        "voorbeeld-groen",
        "Voorbeeld Groen BV",
        "groen",
        "Woudenberg",
        ("company_visit", "internship"),
    ),
    Company("voorbeeld-ict", "Voorbeeld ICT BV", "ICT", "Soest", ("guest_lesson", "internship")),
)
COMPANIES_BY_ID: dict[str, Company] = {c.id: c for c in COMPANIES}

PARTNERS: tuple[Partner, ...] = (
    Partner(
        "vhto",
        "VHTO",
        "expertise",
        "expertisecentrum Voor Haar Technische Ontwikkeling; uitvoering girls-day",
    ),
    Partner(
        "oberon",
        "Oberon",
        "research",
        "onderzoeksbureau; evaluatie Sterk Techniekonderwijs 2020-2023",
    ),
    Partner(
        "techniekpact-noordwest",
        "Techniekpact Noordwest",
        "network",
        "indirecte afstemming Human Capital Agenda",
    ),
    Partner("techkwadraat", "Techkwadraat", "network", "gesprekken voor de regio opgestart"),
    Partner(
        "wijkcentrum-abc", "Wijkcentrum abc", "network", "naschoolse lessen voor po-leerlingen"
    ),
    Partner("dus-i", "DUS-I", "authority", "subsidieverstrekker; financiële verantwoording"),
    Partner(
        "gemeente-amersfoort",
        "Gemeente Amersfoort",
        "municipality",
        "voortrekker; praktijkopdrachten en regionale agenda",
    ),
    Partner(
        "gemeente-nijkerk",
        "Gemeente Nijkerk",
        "municipality",
        "voortrekker; nauw betrokken bij de activiteiten",
    ),
    # Bestuurlijk overleg, figure 10: "CvB (SORG, Meerscholen, NUOVO, Onderwijsgroep Amersfoort)".
    Partner("sorg", "SORG", "school_board", "bestuurlijk overleg"),
    Partner("meerscholen", "Meerscholen", "school_board", "bestuurlijk overleg"),
    Partner("nuovo", "NUOVO", "school_board", "bestuurlijk overleg"),
    Partner(
        "onderwijsgroep-amersfoort",
        "Onderwijsgroep Amersfoort",
        "school_board",
        "bestuurlijk overleg",
    ),
)
