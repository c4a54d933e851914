"""Dutch notation of dates, times, amounts and the plan's words."""

from datetime import UTC, date, datetime

import pytest

from web import formatting


def test_a_date_is_written_out_in_dutch_with_its_weekday():
    assert formatting.long_date(date(2026, 12, 9)) == "woensdag 9 december 2026"
    assert formatting.long_date(date(2027, 3, 1)) == "maandag 1 maart 2027"


def test_a_moment_counts_in_amsterdam_time():
    # 23:30 UTC on 8 December is already 9 December in Amsterdam.
    assert (
        formatting.long_date(datetime(2026, 12, 8, 23, 30, tzinfo=UTC))
        == "woensdag 9 december 2026"
    )


def test_times_are_a_range_in_local_time_winter_and_summer():
    winter = (datetime(2026, 12, 9, 9, 0, tzinfo=UTC), datetime(2026, 12, 9, 11, 0, tzinfo=UTC))
    summer = (datetime(2027, 6, 9, 8, 0, tzinfo=UTC), datetime(2027, 6, 9, 10, 0, tzinfo=UTC))
    assert formatting.time_range(*winter) == "10:00-12:00"
    assert formatting.time_range(*summer) == "10:00-12:00"
    assert formatting.date_time(winter[0]) == "woensdag 9 december 2026, 10:00"


def test_a_naive_time_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        formatting.clock(datetime(2026, 12, 9, 10, 0))


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (123456, "€ 1.234,56"),
        (0, "€ 0,00"),
        (5, "€ 0,05"),
        (100000000, "€ 1.000.000,00"),
        (-2550, "€ -25,50"),
    ],
)
def test_amounts_use_dutch_separators(cents, text):
    assert formatting.amount(cents) == text


def test_hours_and_quarters_read_as_dutch():
    assert formatting.hours(120) == "2 uur"
    assert formatting.hours(90) == "1,5 uur"
    assert formatting.quarter("2026-Q4") == "4e kwartaal 2026"
    assert formatting.quarter_of(date(2027, 6, 9)) == "2027-Q2"


def test_codes_become_the_plans_words_and_unknown_codes_stay_visible():
    assert formatting.label(formatting.OFFER_KINDS, "masterclass") == "Masterklas"
    assert formatting.label(formatting.BOOKING_STATUSES, "waitlisted") == "Op de wachtlijst"
    assert formatting.label(formatting.BOOKING_STATUSES, "something_new") == "something_new"
