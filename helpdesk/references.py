"""Ticket references as citizens type them.

``MCT-2026-000123``, ``mct 2026 123``, ``2026/123``, ``٢٠٢٦-١٢٣`` and
``MCT2026000123`` all mean the same ticket.
"""

from __future__ import annotations

import re

from django.conf import settings

from helpdesk.phones import to_ascii_digits

# Separators as phones type them: hyphen, the dashes keyboards substitute for it
# (‐ ‑ ‒ – — ―), tatweel on Arabic keyboards, the Arabic decimal and thousands
# separators, slash, dot, underscore, space.
_SEP = r"[-_/.\s\u2010-\u2015\u0640\u066b\u066c]"
_PATTERN = re.compile(
    rf"(?:(?<![A-Za-z])(?P<prefix>[A-Za-z]{{2,5}})(?P<joint>\s*{_SEP}?\s*))?"
    rf"(?P<year>20\d{{2}})\s*{_SEP}?\s*(?P<number>\d{{1,6}})(?!\d)"
)


def parse_reference(text: str) -> str | None:
    """The canonical reference found in ``text``, or ``None``."""
    ascii_text = to_ascii_digits(text or "")
    match = _PATTERN.search(ascii_text)
    if match is None:
        return None
    ours = settings.NIDAA_REFERENCE_PREFIX.upper()
    prefix = (match.group("prefix") or ours).upper()
    if prefix != ours:
        # "XYZ-2026-1" is another organisation's reference; "About 2026/123" is a
        # word followed by ours without its prefix.
        if match.group("joint").strip():
            return None
        prefix = ours
    return f"{prefix}-{match.group('year')}-{int(match.group('number')):06d}"
