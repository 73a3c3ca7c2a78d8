"""SMS sizes: GSM-7 for Latin text, UCS-2 for Arabic."""

from __future__ import annotations

import pytest

from helpdesk.notify.segments import sms_size


@pytest.mark.parametrize(
    ("text", "encoding", "units", "parts"),
    [
        ("a" * 160, "gsm7", 160, 1),
        ("a" * 161, "gsm7", 161, 2),
        ("a" * 306, "gsm7", 306, 2),
        ("a" * 307, "gsm7", 307, 3),
        ("ب" * 70, "ucs2", 70, 1),
        ("ب" * 71, "ucs2", 71, 2),
        ("ب" * 134, "ucs2", 134, 2),
        ("ب" * 135, "ucs2", 135, 3),
        ("", "gsm7", 0, 1),
    ],
)
def test_it_counts_parts_at_the_single_and_multipart_limits(
    text: str, encoding: str, units: int, parts: int
) -> None:
    size = sms_size(text)
    assert (size.encoding, size.units, size.parts) == (encoding, units, parts)


def test_it_counts_gsm7_extension_characters_twice() -> None:
    size = sms_size("€" * 80)
    assert (size.encoding, size.units, size.parts) == ("gsm7", 160, 1)
    assert sms_size("€" * 81).parts == 2


def test_it_switches_the_whole_message_to_ucs2_for_one_arabic_letter() -> None:
    size = sms_size("Report MCT-2026-000123 registered. شكراً")
    assert size.encoding == "ucs2"


def test_it_counts_an_emoji_as_two_ucs2_units() -> None:
    assert sms_size("👍").units == 2


def test_it_counts_arabic_indic_digits_as_ucs2() -> None:
    assert sms_size("٢٠٢٦").encoding == "ucs2"
