"""Server-drawn charts: bars in proportion, targets marked, labels escaped."""

import re

from web.charts import Bar, Chart, svg


def _widths(markup: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', markup)]


def test_bars_are_in_proportion_to_their_values():
    widths = _widths(svg(Chart("Bereik", [Bar("A", 10), Bar("B", 20), Bar("C", 0)])))
    assert widths[1] == 2 * widths[0] and widths[2] == 0


def test_a_target_larger_than_every_value_sets_the_scale_and_is_marked():
    drawn = svg(Chart("Bereik", [Bar("A", 50, target=100)]))
    (line_x,) = re.findall(r'<line x1="([\d.]+)"', drawn)
    (width,) = _widths(drawn)
    assert float(line_x) - 220 == 2 * width


def test_labels_are_escaped_and_the_picture_is_hidden_from_screen_readers():
    drawn = svg(Chart("Bereik", [Bar("<script>", 1)]))
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn
    assert 'aria-hidden="true"' in drawn
