"""Programme monitoring's view: the KPIs as charts with the plan's figures as targets and the
organisations' names, and the years to choose."""

from web.programme import monitoring, years

KPIS = {
    "per_school": [{"school_id": "corlaer", "students": 21, "plan_2023_students": 100},
                   {"school_id": "po-demo-1", "students": 27, "plan_2023_students": None}],
    "per_level": [{"level": "po", "students": 27}, {"level": "vmbo-kb", "students": 21}],
    "per_profile": [{"profile": "PIE", "students": 21, "plan_2023_students": 198},
                    {"profile": None, "students": 27, "plan_2023_students": None}],
    "per_activity": [{"activity": "event", "students": 5},
                     {"activity": "masterclass", "students": 21}],
    "per_core_task": [{"core_task": "A", "title": "Technieklessen", "students": 21}],
}


def test_each_chart_shows_the_reach_with_the_plans_figure_as_its_target():
    charts = {c.title: c for c in monitoring(KPIS, {"corlaer": "Corlaer College"}).charts}
    schools = charts["Leerlingen bereikt per school"].bars
    assert [(b.label, b.value, b.target) for b in schools] == [
        ("Corlaer College", 21, 100), ("po-demo-1", 27, None)]
    profiles = charts["Leerlingen bereikt per profiel"].bars
    assert [(b.label, b.target) for b in profiles] == [("PIE", 198), ("Zonder profiel", None)]
    assert [b.label for b in charts["Leerlingen bereikt per activiteit"].bars] == [
        "Evenement", "Masterklas"]
    assert [b.label for b in charts["Leerlingen bereikt per kerntaak"].bars] == ["Kerntaak A"]


def test_the_years_are_the_plans_and_this_one_newest_first():
    assert years(2026) == [2029, 2028, 2027, 2026, 2025]
    assert years(2031)[:2] == [2031, 2029]
