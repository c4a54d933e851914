"""An offer's month calendar (school): which month, its weeks, and the sessions per day."""

from datetime import UTC, date, datetime, timedelta

from web.views import SessionRow, month, month_shown


def row(day: int, hour: int, seats: int = 10) -> SessionRow:
    starts = datetime(2027, 6, day, hour, tzinfo=UTC)
    return SessionRow(
        f"s{day}{hour}", starts, starts + timedelta(hours=1), "Lab 1", 30, seats, None
    )


def test_the_month_shown_is_the_one_asked_for_else_that_of_the_first_session_coming():
    sessions = [row(21, 8), row(9, 8)]
    assert month_shown("2027-09", sessions, date(2026, 11, 29)) == date(2027, 9, 1)
    assert month_shown("september", sessions, date(2026, 11, 29)) == date(2027, 6, 1)
    assert month_shown("", [], date(2026, 11, 29)) == date(2026, 11, 1)


def test_a_month_runs_monday_to_sunday_with_the_days_of_other_months_left_blank():
    june = month(date(2027, 6, 1), [row(9, 12), row(9, 8), row(30, 22)])
    assert [[d.day.day if d.day else None for d in week] for week in june.weeks] == [
        [None, 1, 2, 3, 4, 5, 6],
        [7, 8, 9, 10, 11, 12, 13],
        [14, 15, 16, 17, 18, 19, 20],
        [21, 22, 23, 24, 25, 26, 27],
        [28, 29, 30, None, None, None, None],
    ]
    ninth = june.weeks[1][2]
    assert [s.starts_at.hour for s in ninth.sessions] == [8, 12]
    # 22:00 UTC on 30 June is 1 July in Amsterdam: not in June's calendar.
    assert not any(d.sessions for d in june.weeks[4])
    assert (june.label, june.previous, june.next) == ("juni 2027", "2027-05", "2027-07")
    assert not june.empty and month(date(2027, 2, 1), []).empty
    assert len(month(date(2027, 2, 1), []).weeks) == 4  # February 2027 starts on a Monday
