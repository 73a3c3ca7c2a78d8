"""Phone numbers in E.164, validated with ``phonenumbers``.

Omani numbers may be typed locally ("9123 4567"), with the country code
("+968 9123 4567", "00968…"), or with Arabic-Indic digits; international
numbers need their country code.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_DIGIT_TRANSLATION = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def to_ascii_digits(text: str) -> str:
    """Turn Arabic-Indic and Persian digits into ASCII digits."""
    return text.translate(_DIGIT_TRANSLATION)


def normalize_phone(raw: str, *, region: str | None = None) -> str:
    """Return ``raw`` as an E.164 string, or raise ``ValidationError`` saying why."""
    text = to_ascii_digits(raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="phone_empty")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or settings.NIDAA_DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _(
                "“%(value)s” is not a phone number. "
                "Use a number such as 9123 4567 or +968 9123 4567."
            ),
            code="phone_unparseable",
            params={"value": raw},
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number for its country."),
            code="phone_invalid",
            params={"value": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    number = phonenumbers.parse(e164)
    kind = phonenumbers.number_type(number)
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
