from datetime import UTC, datetime

from shared.dutch import dutch_period, equipment_list, equipment_noun, euros


def test_a_period_is_written_the_dutch_way_in_amsterdam_time():
    winter = datetime(2026, 12, 9, 9, tzinfo=UTC)
    summer = datetime(2027, 6, 2, 8, 30, tzinfo=UTC)
    assert dutch_period(winter, winter.replace(hour=11)) == "woensdag 9 december 2026, 10:00-12:00"
    assert dutch_period(summer, summer.replace(hour=10, minute=0)) == (
        "woensdag 2 juni 2027, 10:30-12:00"
    )


def test_equipment_is_named_not_slugged():
    assert equipment_noun("hydrogen-car") == "waterstofauto"
    assert equipment_list(["robot", "vr", "hydrogen-car"]) == (
        "de robotset, de VR-set en de waterstofauto"
    )
    assert equipment_list(["cnc"]) == "de CNC-machine"


def test_money_is_written_in_euros_with_dutch_separators():
    assert euros(123456) == "€ 1.234,56"
    assert euros(502) == "€ 5,02"
    assert euros(100_000_000) == "€ 1.000.000,00"
    assert euros(-5) == "€ -0,05"
