"""Personal data masked before a text becomes a training example."""

from __future__ import annotations

from helpdesk.text import mask_personal_data


def test_it_masks_phone_numbers_emails_and_references() -> None:
    masked = mask_personal_data(
        "call +968 9123 4567 or said@example.om about MCT-2026-000123, civil id ١٢٣٤٥٦٧٨"
    )
    assert "9123" not in masked
    assert "said@" not in masked
    assert "000123" not in masked
    assert "١٢٣٤٥٦٧٨" not in masked
    assert masked.startswith("call ***")


def test_it_keeps_short_numbers_such_as_house_numbers() -> None:
    assert mask_personal_data("house 45, building 1203") == "house 45, building 1203"
