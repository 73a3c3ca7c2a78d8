"""``{{ value|localnum }}``: a figure in the active language's digits and separators."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from helpdesk.charts import format_number

register = template.Library()


@register.filter
def localnum(value: Any) -> Any:
    """Numbers in the page's language (``١٬٢٣٤٫٥`` in Arabic); anything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    decimals = 0
    if isinstance(value, float):
        decimals = 1 if round(value, 1) == value else 2
    return format_number(value, language=get_language() or "ar", decimals=decimals)
