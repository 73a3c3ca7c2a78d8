"""How many SMS parts a text costs.

A text made only of GSM 03.38 characters travels in GSM-7: 160 characters in
one SMS, 153 per part once it is split (the concatenation header takes the
rest); characters of the extension table (``{ } [ ] ~ \\ | ^ €`` and form feed)
take two. Anything else — Arabic above all — forces UCS-2: 70 characters in one
SMS, 67 per part. UCS-2 counts UTF-16 code units, so an emoji counts two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7 = "gsm7"
UCS2 = "ucs2"


@dataclass(frozen=True)
class SmsSize:
    encoding: str  # "gsm7" or "ucs2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    parts: int

    @property
    def single_limit(self) -> int:
        return 160 if self.encoding == GSM7 else 70

    @property
    def part_limit(self) -> int:
        return 153 if self.encoding == GSM7 else 67


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def sms_size(text: str) -> SmsSize:
    """The encoding, length in units and number of parts of ``text``."""
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, per_part, encoding = 160, 153, GSM7
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, per_part, encoding = 70, 67, UCS2
    parts = 1 if units <= single else math.ceil(units / per_part)
    return SmsSize(encoding=encoding, units=units, parts=max(parts, 1))
