"""Text as citizens write it: kept verbatim and bounded; HTML bodies reduced to text."""

from __future__ import annotations

import re
import unicodedata

import bleach
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


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
# A ticket reference (MCT-2026-000123) and any run of six or more digits, spaces or
# dashes between them allowed: phone numbers, civil ids, account and plate numbers.
_REFERENCE = re.compile(r"\b[A-Za-z]{2,6}-\d{4}-\d+\b")
_LONG_NUMBER = re.compile(r"\+?\d(?:[\d\s-]{4,}\d)")
MASK = "***"

# Unicode's left-to-right isolate and its end, and the left-to-right mark. A reference,
# a phone number or a link inside Arabic text keeps its own order inside an isolate,
# on a phone's SMS screen as in a mail client; a mark after a link keeps its last
# slash on the link's side.
LRI, PDI, LRM = "\u2066", "\u2069", "\u200e"
_DATE_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2})?")
_LTR_RUN = re.compile(
    rf"(?P<url>{_URL.pattern})"
    rf"|(?P<run>{_DATE_TIME.pattern}|{_REFERENCE.pattern}|{_LONG_NUMBER.pattern})",
    re.IGNORECASE,
)


def isolate_ltr(value: str) -> str:
    """``value`` (a reference, a phone number) as one left-to-right island in any text."""
    return f"{LRI}{value}{PDI}" if value else value


def isolate_reference(reference: str) -> str:
    """A reference as an isolate whose hyphens do not break (U+2011, which
    ``parse_reference`` reads as a hyphen when the citizen copies it back)."""
    return isolate_ltr(reference.replace("-", "\u2011"))


def isolate_url(url: str) -> str:
    return f"{url}{LRM}" if url else url


def render_bidi(text: str) -> SafeString:
    """Escape ``text`` for HTML; references, long numbers and links become ``<bdi dir=ltr>``
    islands that a right-to-left line does not reorder; a reference or a number (class
    ``ltr``) is not broken across lines either, a link (class ``url``) may be."""
    parts: list[str] = []
    last = 0
    for match in _LTR_RUN.finditer(text):
        parts.append(escape(text[last : match.start()]))
        kind = "url" if match.group("url") else "ltr"
        parts.append(f'<bdi dir="ltr" class="{kind}">{escape(match.group())}</bdi>')
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped


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
