"""The words of a message: notify's Jinja templates (`templates/<type>.txt.j2`), read from
disk and compiled once when this module is loaded, and the filters they use. The domain
decides who hears of what (`Draft`); this module says it."""

from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from services.notify.domain import Draft, quarter_end
from shared.domain import local_date
from shared.dutch import dutch_date, dutch_datetime, dutch_period, equipment_list, euros
from shared.seed import COMPANIES_BY_ID, SCHOOLS_BY_ID


def school_name(school_id: str) -> str:
    school = SCHOOLS_BY_ID.get(school_id)
    return school.name if school is not None else school_id


def company_name(company_id: str) -> str:
    company = COMPANIES_BY_ID.get(company_id)
    return company.name if company is not None else company_id


def lessons(e) -> list[str]:
    """When each lesson a booking event is about takes place: all of a series, else one."""
    times = e.series_sessions or [e]
    return [dutch_period(t.starts_at, t.ends_at) for t in times]


def sentence(text: str) -> str:
    """Text from elsewhere (a reason, a description) as a sentence: ended by a full stop, so
    the next sentence does not run into it."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def what_and_when(e) -> str:
    """For a subject line: `Robotica op woensdag 9 december 2026, 10:00-12:00`, or for a
    series `Masterklas Robotica, 4 lessen vanaf woensdag 9 december 2026`."""
    if len(e.series_sessions) > 1:
        first = local_date(e.series_sessions[0].starts_at)
        return f"{e.offering_title}, {len(e.series_sessions)} lessen vanaf {dutch_date(first)}"
    return f"{e.offering_title} op {dutch_period(e.starts_at, e.ends_at)}"


TEMPLATE_DIR = Path(__file__).parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    undefined=StrictUndefined,
    autoescape=False,
    trim_blocks=True,
    keep_trailing_newline=False,
)
_env.filters["wanneer"] = dutch_datetime
_env.filters["datum"] = dutch_date
_env.filters["euro"] = euros
_env.filters["iso_datum"] = lambda day: dutch_date(date.fromisoformat(str(day)))
_env.filters["materiaal"] = equipment_list
_env.filters["school"] = school_name
_env.filters["bedrijf"] = company_name
_env.filters["lessen"] = lessons
_env.filters["tijdvak"] = lambda e: dutch_period(e.starts_at, e.ends_at)
_env.filters["vorig_tijdvak"] = lambda e: dutch_period(e.previous_starts_at, e.previous_ends_at)
_env.filters["wat_en_wanneer"] = what_and_when
_env.filters["zin"] = sentence
_env.filters["kwartaaleinde"] = lambda quarter: dutch_date(quarter_end(quarter))

# One template per message type, `templates/<type>.txt.j2`: the first line is the subject,
# the rest the body. Compiled once, when the module is loaded.
TEMPLATES: dict[str, Template] = {
    path.name.removesuffix(".txt.j2"): _env.get_template(path.name)
    for path in sorted(TEMPLATE_DIR.glob("*.txt.j2"))
}


def render(message_type: str, **facts: object) -> tuple[str, str]:
    """(subject, body) of a message type with its facts."""
    subject, _, body = TEMPLATES[message_type].render(**facts).partition("\n")
    return subject.strip(), body.strip()


def render_draft(draft: Draft) -> tuple[str, str]:
    """(subject, body) of a drafted message; `to`: a message about a whole session names the
    recipient's own groups."""
    return render(draft.message_type, e=draft.facts, to=draft.organisation_id)
