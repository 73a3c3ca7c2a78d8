"""Template filters for text that mixes Arabic with references, numbers and links."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from helpdesk.text import render_bidi

register = template.Library()


@register.filter(name="bidi_text")
def bidi_text(value: object) -> SafeString:
    """Escaped text whose references, phone numbers and links are isolated left-to-right."""
    return render_bidi("" if value is None else str(value))
