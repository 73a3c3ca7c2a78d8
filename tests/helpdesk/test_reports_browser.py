"""The reports page in a real browser: Arabic, right to left, on a 360 px wide screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from helpdesk.models import Role
from tests.conftest import CHROMIUM
from tests.helpdesk.test_reports import data  # noqa: F401 - the known data set (fixture)
from tests.support.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.mark.usefixtures("data")
def test_a_supervisor_reads_the_reports_in_arabic_at_360px(
    live_servers: Any, artifacts_dir: Path
) -> None:
    make_staff(Role.SUPERVISOR, username="boss", password="pw-for-tests")
    (server,) = live_servers(1)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": 360, "height": 740}, locale="ar-OM", device_scale_factor=2
            )
            page.goto(f"{server.url}/reports/?start=2025-03-02&end=2025-03-03")
            page.locator("#id_username").fill("boss")
            page.locator("#id_password").fill("pw-for-tests")
            page.locator("main button.primary").click()

            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            sections = page.locator("#tickets-by-section")
            expect(sections).to_contain_text("جمع النفايات")
            full_bar = sections.locator(".bar").first
            expect(full_bar).to_be_visible()
            # The bar grows from the right edge of its cell in Arabic.
            bar, cell = full_bar.bounding_box(), sections.locator(".bar-cell").first.bounding_box()
            assert bar is not None and cell is not None
            assert abs((bar["x"] + bar["width"]) - (cell["x"] + cell["width"])) < 12
            # Nothing makes the page itself scroll sideways on a phone.
            page.screenshot(path=str(artifacts_dir / "reports-ar-360px.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        finally:
            browser.close()
