from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from helpdesk.errors import InvalidInput
from helpdesk.phones import normalize_phone
from helpdesk.services.contacts import contact_create

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("9123 4567", "+96891234567"),
        ("+968 9123 4567", "+96891234567"),
        ("0096891234567", "+96891234567"),
        ("٩١٢٣٤٥٦٧", "+96891234567"),
        ("24 123456", "+96824123456"),
        ("+971 50 123 4567", "+971501234567"),
        ("+44 7911 123456", "+447911123456"),
    ],
)
def test_it_stores_numbers_in_e164(raw: str, e164: str) -> None:
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "hello", "123", "+968 1234", "9123 45678 9"])
def test_it_refuses_bad_numbers_with_a_clear_message(raw: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone(raw)
    assert "phone number" in " ".join(excinfo.value.messages)


@pytest.mark.django_db
def test_it_refuses_to_create_a_contact_with_a_bad_phone() -> None:
    with pytest.raises(InvalidInput, match="not a"):
        contact_create(name="Said", phone="12")
