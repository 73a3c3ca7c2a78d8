"""helpdesk/charts.py: numbers in the reader's digits, escaped text, reading order, proportions."""

from __future__ import annotations

import re

from helpdesk.charts import Series, bar_chart, format_number, gauge, line_chart


def _rects(svg: str) -> list[dict[str, float]]:
    return [
        {k: float(v) for k, v in re.findall(r'(\w+)="([\d.]+)"', match)}
        for match in re.findall(r"<rect ([^>]*)><title>", svg)
    ]


def test_it_writes_numbers_in_arabic_digits_and_separators() -> None:
    assert format_number(1234.5, language="ar", decimals=1) == "١٬٢٣٤٫٥"
    assert format_number(1234.5, language="en", decimals=1) == "1,234.5"
    assert format_number(None, language="ar") == "—"


def test_it_escapes_every_text() -> None:
    svg = bar_chart(
        title="<script>alert(1)</script>",
        labels=["<b>day</b>"],
        series=[Series('x" onload="alert(1)', [3])],
        language="en",
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert 'onload="' not in svg


def test_bars_run_right_to_left_in_arabic_and_left_to_right_in_english() -> None:
    series = [Series("chats", [1, 2, 3])]
    for language, increasing in (("en", True), ("ar", False)):
        xs = [
            r["x"]
            for r in _rects(
                bar_chart(title="t", labels=["a", "b", "c"], series=series, language=language)
            )
        ]
        assert (xs == sorted(xs)) is increasing
        assert (xs == sorted(xs, reverse=True)) is not increasing


def test_bar_heights_are_proportional_to_the_values() -> None:
    svg = bar_chart(title="t", labels=["a", "b"], series=[Series("n", [2, 4])], language="en")
    first, second = _rects(svg)
    assert abs(second["height"] - 2 * first["height"]) < 0.5


def test_stacked_bars_add_up() -> None:
    svg = bar_chart(
        title="t",
        labels=["a"],
        series=[Series("x", [1]), Series("y", [3])],
        language="en",
        stacked=True,
    )
    lower, upper = _rects(svg)
    assert abs(upper["height"] - 3 * lower["height"]) < 0.5
    assert abs(upper["y"] + upper["height"] - lower["y"]) < 0.5


def test_a_day_without_a_value_breaks_the_line() -> None:
    svg = line_chart(
        title="t",
        labels=["a", "b", "c", "d", "e"],
        series=[Series("level", [50, 60, None, 70, 80])],
        language="en",
        top_value=100,
    )
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 4


def test_the_gauge_colours_the_service_level_against_its_target() -> None:
    assert "gauge-good" in gauge(title="t", percent=85, target=80, language="en")
    assert "gauge-warn" in gauge(title="t", percent=75, target=80, language="en")
    assert "gauge-bad" in gauge(title="t", percent=50, target=80, language="en")
    assert "gauge-none" in gauge(title="t", percent=None, target=80, language="ar")
    assert "٨٥٪" in gauge(title="t", percent=85, target=80, language="ar")
