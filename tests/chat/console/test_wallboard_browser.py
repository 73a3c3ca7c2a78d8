"""The wallboard and the reports with charts in Chromium, Arabic and English, at 1366 px."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from demo.history import history_generate
from helpdesk.models import Channel, Contact, Conversation, ConversationState, Role
from tests.conftest import CHROMIUM
from tests.support.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCALES = {"ar": "ar-OM", "en": "en-GB"}
RAW_CODES = ("webchat", "queued", "offered", "assigned", "off_duty", "available")


@pytest.fixture
def busy_center(transactional_db: None) -> None:
    """The demo organisation with two weeks of history and a citizen waiting for 5 minutes."""
    call_command("demo_setup", stdout=StringIO())
    history_generate(days=14)
    contact = Contact.objects.create(name="سالم", phone="+96891234567")
    Conversation.objects.create(
        channel=Channel.WEBCHAT,
        contact=contact,
        state=ConversationState.QUEUED,
        queued_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    make_staff(Role.SUPERVISOR, username="boss", password="pw-for-tests")


@contextlib.contextmanager
def signed_in(server: Any, path: str, language: str) -> Iterator[Page]:
    """The supervisor's page at ``path`` in Chromium at 1366 px, in ``language``."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": 1366, "height": 900}, locale=LOCALES[language]
            )
            page.goto(f"{server.url}{path}")
            page.locator("#id_username").fill("boss")
            page.locator("#id_password").fill("pw-for-tests")
            page.locator("main button.primary").click()
            yield page
        finally:
            browser.close()


@pytest.mark.usefixtures("busy_center")
@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_wallboard_shows_the_service_level_the_waits_and_the_hours(
    live_servers: Any, artifacts_dir: Path, language: str
) -> None:
    (server,) = live_servers(1)
    with signed_in(server, "/supervisor/", language) as page:
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
        expect(page.locator("#gauge svg.gauge")).to_be_visible()
        expect(page.locator("#hours svg rect").first).to_be_visible()
        # Five minutes' wait is past the default red threshold (180 s).
        expect(page.locator("[data-level-of=longest]")).to_have_attribute("data-level", "alarm")
        waiting = page.locator("[data-k=waiting]")
        expect(waiting).to_have_text("١" if language == "ar" else "1")
        expect(page.locator("#by-presence dt").first).to_be_visible()
        table = page.locator("#conversations")
        expect(table).to_contain_text("المحادثة عبر الموقع" if language == "ar" else "Web chat")
        text = page.locator("main").inner_text()
        for code in RAW_CODES:
            assert code not in text, code
        page.screenshot(
            path=str(artifacts_dir / f"wallboard-{language}-1366px.png"), full_page=True
        )


@pytest.mark.usefixtures("busy_center")
@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_reports_draw_trend_charts_beside_the_tables(
    live_servers: Any, artifacts_dir: Path, language: str
) -> None:
    (server,) = live_servers(1)
    with signed_in(server, "/reports/", language) as page:
        for table in ("conversations-per-day", "service-level", "ticket-sla", "satisfaction"):
            expect(page.locator(f"#{table} figure svg.chart")).to_be_visible()
        chart = page.locator("#conversations-per-day svg.chart")
        expect(chart.locator("rect").first).to_be_visible()
        # The days run in reading order: the first on the right in Arabic.
        ticks = chart.locator("text.tick[text-anchor=middle]")
        first, last = ticks.first.bounding_box(), ticks.last.bounding_box()
        assert first is not None and last is not None
        assert (first["x"] > last["x"]) == (language == "ar")
        # The CSV export is still there.
        expect(page.locator("#service-level a[download]")).to_be_visible()
        page.screenshot(path=str(artifacts_dir / f"reports-{language}-1366px.png"), full_page=True)
