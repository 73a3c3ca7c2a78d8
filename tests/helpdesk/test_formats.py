"""Numbers on Arabic staff pages keep a decimal point («225.6», never «225,6»)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation


def test_it_writes_arabic_decimals_with_a_point() -> None:
    with translation.override("ar"):
        shown = Template("{{ value }} {{ value|floatformat:1 }}").render(Context({"value": 225.6}))
    assert shown == "225.6 225.6"
