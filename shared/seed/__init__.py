"""Reference and demo data of the T is for Tech region: pure Python, no I/O.

Taken from the seed document "Regiovisie en activiteitenplan 2025-2029" (September 2024);
values the document lacks (session dates, asset tags, rooms, capacities, the budget split per
core task, company names) are generated deterministically and marked GENERATED where defined.
Money is in integer euro cents; datetimes are aware and in UTC.
"""

from .calendar import (
    CLOSED_PERIODS,
    PUBLIC_HOLIDAYS,
    SCHOOL_HOLIDAYS_MIDDEN,
    SCHOOL_YEARS,
    ClosedPeriod,
)
from .catalogue import (
    AUDIENCES,
    EQUIPMENT,
    EQUIPMENT_CATEGORIES,
    EQUIPMENT_CATEGORY_IDS,
    INSTRUCTORS,
    OFFERING_KINDS,
    OFFERINGS,
    OFFERINGS_BY_ID,
    ROOMS,
    ROOMS_BY_ID,
)
from .events import EVENTS, EVENTS_BY_ID, event_occurrences
from .finance import (
    BUDGET_LINES,
    BUDGET_SHARE_PERCENT,
    BUDGET_YEARS,
    COMPANY_COFINANCING_PER_YEAR_CENTS,
    COMPANY_COFINANCING_PERCENT,
    CORE_TASKS,
    CORE_TASKS_BY_CODE,
    TOTAL_BUDGET_CENTS,
    TOTAL_BUDGET_PER_YEAR_CENTS,
    budget_cents,
)
from .models import (
    BudgetLine,
    Company,
    CoreTask,
    Elective,
    EquipmentCategory,
    EquipmentItem,
    Event,
    Offering,
    Partner,
    PoBoard,
    Room,
    School,
    Session,
    StudentCount,
    TransferTarget,
)
from .partners import BRANCHES, COMPANIES, COMPANIES_BY_ID, CORE_COMPANY_COUNT, PARTNERS
from .region import (
    ELECTIVES,
    ELECTIVES_BY_CODE,
    HARD_TECH_PROFILES,
    HARD_TECH_SCHOOL_IDS,
    HOTSPOT_ID,
    HOTSPOT_NAME,
    MUNICIPALITIES,
    MUNICIPALITY_IDS,
    PO_BOARDS,
    PO_SCHOOLS_ACTIVE,
    PO_SCHOOLS_IN_REGION,
    PROFILES,
    SCHOOL_KINDS,
    SCHOOLS,
    SCHOOLS_BY_ID,
    STUDENT_COUNT_YEARS,
    STUDENT_COUNTS,
    STUDENT_TOTALS,
    STUDENT_TOTALS_BY_PROFILE,
    TRANSFER_TARGETS,
)
from .schedule import (
    AMSTERDAM,
    DEMO_SESSIONS,
    DEMO_SESSIONS_BY_ID,
    DEMO_SLOTS,
    DEMO_START,
    DUTCH_PUBLIC_HOLIDAYS_2026_2027,
    SCHOOL_HOLIDAYS_MIDDEN_2026_2027,
    SCHOOL_YEAR_2026_2027,
    is_school_day,
    session_id,
    sessions_for,
    to_utc,
)

__all__ = [
    "CLOSED_PERIODS", "PUBLIC_HOLIDAYS", "SCHOOL_HOLIDAYS_MIDDEN", "SCHOOL_YEARS", "ClosedPeriod",
    "AMSTERDAM", "AUDIENCES", "BRANCHES", "BUDGET_LINES", "BUDGET_SHARE_PERCENT", "BUDGET_YEARS",
    "COMPANIES", "COMPANIES_BY_ID", "COMPANY_COFINANCING_PERCENT",
    "COMPANY_COFINANCING_PER_YEAR_CENTS", "CORE_COMPANY_COUNT", "CORE_TASKS",
    "CORE_TASKS_BY_CODE", "DEMO_SESSIONS", "DEMO_SESSIONS_BY_ID", "DEMO_SLOTS", "DEMO_START",
    "DUTCH_PUBLIC_HOLIDAYS_2026_2027", "ELECTIVES", "ELECTIVES_BY_CODE", "EQUIPMENT",
    "EQUIPMENT_CATEGORIES", "EQUIPMENT_CATEGORY_IDS", "EVENTS", "EVENTS_BY_ID",
    "HARD_TECH_PROFILES", "HARD_TECH_SCHOOL_IDS", "HOTSPOT_ID", "HOTSPOT_NAME", "INSTRUCTORS",
    "MUNICIPALITIES", "MUNICIPALITY_IDS", "OFFERINGS", "OFFERINGS_BY_ID", "OFFERING_KINDS",
    "PARTNERS", "PO_BOARDS",
    "PO_SCHOOLS_ACTIVE", "PO_SCHOOLS_IN_REGION", "PROFILES", "ROOMS", "ROOMS_BY_ID",
    "SCHOOLS", "SCHOOLS_BY_ID", "SCHOOL_HOLIDAYS_MIDDEN_2026_2027", "SCHOOL_KINDS",
    "SCHOOL_YEAR_2026_2027", "STUDENT_COUNTS", "STUDENT_COUNT_YEARS", "STUDENT_TOTALS",
    "STUDENT_TOTALS_BY_PROFILE", "TOTAL_BUDGET_CENTS", "TOTAL_BUDGET_PER_YEAR_CENTS",
    "TRANSFER_TARGETS", "BudgetLine", "Company", "CoreTask", "Elective", "EquipmentCategory",
    "EquipmentItem", "Event", "Offering", "Partner", "PoBoard", "Room", "School", "Session",
    "StudentCount", "TransferTarget", "budget_cents", "event_occurrences", "is_school_day",
    "session_id", "sessions_for", "to_utc",
]
