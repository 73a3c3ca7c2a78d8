from __future__ import annotations

import pytest

from helpdesk.ratelimit import Limit, hit
from helpdesk.references import parse_reference
from helpdesk.selectors.tickets import ticket_public_lookup
from tests.support.factories import Org, make_contact, make_ticket


@pytest.mark.parametrize(
    "typed",
    [
        "MCT-2026-000123",
        "mct 2026 123",
        "2026/123",
        "٢٠٢٦-١٢٣",
        "MCT2026000123",
        "رقم البلاغ 2026-123",
        "MCT–2026–000123",  # en dash, as phones auto-correct a hyphen
        "MCT—2026—123",  # em dash
        "٢٠٢٦ـ١٢٣",  # tatweel typed as a dash on an Arabic keyboard
        "٢٠٢٦٫١٢٣",  # Arabic decimal separator
        "About 2026/123",  # an English word before the bare number is not a prefix
        "my ticket is mct 2026 123",
    ],
)
def test_it_understands_common_ways_of_typing_a_reference(typed: str) -> None:
    assert parse_reference(typed) == "MCT-2026-000123"


@pytest.mark.parametrize("typed", ["", "hello", "XYZ-2026-1", "123"])
def test_it_finds_no_reference_in_other_text(typed: str) -> None:
    assert parse_reference(typed) is None


@pytest.mark.django_db
def test_it_gives_the_same_answer_for_unknown_and_mismatched_lookups(org: Org) -> None:
    ticket = make_ticket(org, contact=make_contact(phone="+96891234567"))
    assert ticket_public_lookup(reference=ticket.reference, phone_last_digits="4567") == ticket
    assert ticket_public_lookup(reference=ticket.reference, phone_last_digits="٤٥٦٧") == ticket
    assert ticket_public_lookup(reference=ticket.reference, phone_last_digits="0000") is None
    assert ticket_public_lookup(reference="MCT-1999-000001", phone_last_digits="4567") is None
    assert ticket_public_lookup(reference=ticket.reference, phone_last_digits="67") is None


def test_it_stops_counting_past_the_limit() -> None:
    limit = Limit("test-scope", count=3, seconds=60)
    results = [hit(limit, "1.2.3.4", now=1000.0) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert hit(limit, "1.2.3.4", now=1060.0) is True
