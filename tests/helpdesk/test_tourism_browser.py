"""The tourism desk in a real browser: a visitor rates a hotel, an official reads the record.

Both in Arabic (right to left) and in English, on a phone-sized screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from helpdesk.models import EstablishmentRating, Role
from tests.conftest import CHROMIUM
from tests.support.factories import Org, make_staff, make_ticket, make_tourism_desk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def desk(org: Org) -> dict[str, Any]:
    complaint, _hotel = make_tourism_desk(org)
    make_staff(Role.TOURISM_OFFICIAL, username="huda", password="pw-for-tests")
    return {
        "complaint": complaint,
        "municipal": make_ticket(org, subject="Pothole in Ruwi", description="Pothole"),
    }


@pytest.mark.parametrize(
    ("language", "locale", "direction", "rate_title", "thanks", "record_title"),
    [
        ("ar", "ar-OM", "rtl", "قيّم فندق شاطئ القرم", "تم تسجيل تقييمك", "سجل فندق شاطئ القرم"),
        ("en", "en-GB", "ltr", "Rate Qurum Shore Hotel", "rating was recorded", "Record of Qurum"),
    ],
)
def test_a_visitor_rates_and_an_official_reads_the_record(
    desk: dict[str, Any],
    live_servers: Any,
    artifacts_dir: Path,
    language: str,
    locale: str,
    direction: str,
    rate_title: str,
    thanks: str,
    record_title: str,
) -> None:
    (server,) = live_servers(1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            visitor = browser.new_page(viewport={"width": 360, "height": 740}, locale=locale)
            visitor.goto(f"{server.url}/tourism/")
            expect(visitor.locator("html")).to_have_attribute("dir", direction)
            visitor.locator('a[href="/tourism/rate/qurum-shore-hotel/"]').click()
            expect(visitor.locator("h1")).to_contain_text(rate_title)
            visitor.locator('input[name="score"][value="2"]').check()
            visitor.locator("#id_comment").fill("The pool was closed all week")
            visitor.locator("#id_follow_up").check()
            visitor.locator("#id_phone").fill("91234567")
            visitor.locator("#rating-form button.primary").click()
            expect(visitor.locator("#rating-thanks")).to_contain_text(thanks)
            visitor.screenshot(path=str(artifacts_dir / f"tourism-rate-{language}-360px.png"))
            assert visitor.evaluate("document.documentElement.scrollWidth") <= 360
            reference = visitor.locator("#rating-thanks bdi").inner_text().strip()

            official = browser.new_page(viewport={"width": 1024, "height": 900}, locale=locale)
            official.goto(f"{server.url}/tourism/official/")
            official.locator("#id_username").fill("huda")
            official.locator("#id_password").fill("pw-for-tests")
            official.locator("main button.primary").click()
            expect(official.locator("html")).to_have_attribute("dir", direction)
            expect(official.locator("#tickets")).to_contain_text(reference)
            expect(official.locator("#tickets")).not_to_contain_text(desk["municipal"].reference)
            official.locator('#establishments a[href*="qurum-shore-hotel"]').click()
            expect(official.locator("h1")).to_contain_text(record_title)
            expect(official.locator("#over-time tbody tr")).to_have_count(1)
            expect(official.locator("#ratings")).to_contain_text("The pool was closed all week")
            expect(official.locator("#ratings")).to_contain_text(reference)
            official.screenshot(
                path=str(artifacts_dir / f"tourism-official-{language}.png"), full_page=True
            )
        finally:
            browser.close()
    complaint = EstablishmentRating.objects.get().ticket
    assert complaint is not None and complaint.reference == reference
