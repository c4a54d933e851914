from datetime import UTC, datetime

from shared.dutch import dutch_period, equipment_list, equipment_noun


def test_a_period_is_written_the_dutch_way_in_amsterdam_time():
    winter = datetime(2026, 12, 9, 9, tzinfo=UTC)
    summer = datetime(2027, 6, 2, 8, 30, tzinfo=UTC)
    assert dutch_period(winter, winter.replace(hour=11)) == "woensdag 9 december 2026, 10:00-12:00"
    assert dutch_period(summer, summer.replace(hour=10, minute=0)) == (
        "woensdag 2 juni 2027, 10:30-12:00")


def test_equipment_is_named_not_slugged():
    assert equipment_noun("hydrogen-car") == "waterstofauto"
    assert equipment_list(["robot", "vr", "hydrogen-car"]) == (
        "de robotset, de VR-set en de waterstofauto")
    assert equipment_list(["cnc"]) == "de CNC-machine"
