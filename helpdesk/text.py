"""Text as citizens write it: kept verbatim, bounded, and rendered safely."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import MutableMapping
from typing import Any

import bleach
from bleach.linkifier import Linker
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_MESSAGE_LENGTH = 4000

# C0/C1 control characters other than tab and newline never mean anything in a
# chat message and can break terminals and logs; everything else is kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Normalise line endings and Unicode form, drop control characters, trim."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def html_to_text(html: str) -> str:
    """The text of an HTML fragment (an HTML e-mail's body): every tag dropped."""
    return str(bleach.clean(html, tags=set(), strip=True))


def _safe_link(attrs: MutableMapping[tuple[str | None, str], str], new: bool = False) -> Any:
    # Returning None drops the link (bleach's documented callback contract).
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http://", "https://")):
        return None
    attrs[(None, "rel")] = "nofollow noopener noreferrer"
    attrs[(None, "target")] = "_blank"
    return attrs


_linker = Linker(callbacks=[_safe_link], parse_email=False)


def render_text(text: str) -> SafeString:
    """Escape ``text`` and turn web addresses into safe links (for HTML pages)."""
    escaped = escape(text)
    linked = _linker.linkify(escaped)
    cleaned = bleach.clean(
        linked,
        tags={"a"},
        attributes={"a": ["href", "rel", "target"]},
        protocols={"http", "https"},
        strip=True,
    )
    return mark_safe(cleaned.replace("\n", "<br>"))  # noqa: S308 - bleach-cleaned above


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
# A ticket reference (MCT-2026-000123) and any run of six or more digits, spaces or
# dashes between them allowed: phone numbers, civil ids, account and plate numbers.
_REFERENCE = re.compile(r"\b[A-Za-z]{2,6}-\d{4}-\d+\b")
_LONG_NUMBER = re.compile(r"\+?\d(?:[\d\s-]{4,}\d)")
MASK = "***"


def mask_personal_data(text: str) -> str:
    """``text`` with e-mail addresses, links, references and long numbers replaced by ``***``.

    Names are not recognised: what the classifier keeps is the words about the problem,
    and a name in free text stays (see docs/assistant.md).
    """
    for pattern in (_EMAIL, _URL, _REFERENCE):
        text = pattern.sub(MASK, text)
    return _LONG_NUMBER.sub(
        lambda match: MASK if sum(c.isdigit() for c in match.group()) >= 6 else match.group(),
        text,
    )
