"""The public report form and status page in Chromium, on a 360 px phone screen."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from helpdesk.models import Attachment, Ticket
from tests.conftest import CHROMIUM
from tests.support.factories import make_org
from tests.support.images import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def test_a_citizen_files_a_report_with_photo_and_location_then_checks_it(
    live_servers: Any, artifacts_dir: Path, tmp_path: Path
) -> None:
    make_org()
    (server,) = live_servers(1, NIDAA_PORTAL_MIN_SECONDS=1)
    photo = tmp_path / "pothole.png"
    photo.write_bytes(png_bytes((320, 240), "gray"))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 360, "height": 780},
                locale="en-US",
                geolocation={"latitude": 23.588, "longitude": 58.3829},
                permissions=["geolocation"],
            )
            page = context.new_page()
            page.goto(f"{server.url}/report/")
            page.get_by_label("What is it about?").select_option(label="Pothole")
            page.get_by_label("Describe the problem").fill("Deep pothole at the roundabout")
            page.get_by_label("Photo (optional)").set_input_files(str(photo))
            page.get_by_role("button", name="Use my location").click()
            expect(page.locator("#location-status")).to_contain_text("23.588000, 58.382900")
            page.get_by_label("Address or landmark").fill("Al Khuwair roundabout")
            page.get_by_label("Mobile number").fill("9123 4567")
            page.screenshot(path=str(artifacts_dir / "portal-report-form-360.png"), full_page=True)
            # The form refuses submissions faster than a person (1 s here): be a person.
            page.wait_for_timeout(1500)
            page.get_by_role("button", name="Send the report").click()

            reference_box = page.locator("#reference")
            expect(reference_box).to_contain_text("MCT-")
            reference = reference_box.inner_text().strip()
            page.screenshot(path=str(artifacts_dir / "portal-report-thanks-360.png"))

            page.get_by_role("link", name="Check the status").click()
            expect(page.get_by_label("Ticket number")).to_have_value(reference)
            page.get_by_label("Last 4 digits of your mobile number").fill("4567")
            page.get_by_role("button", name="Check").click()
            result = page.locator("#result")
            expect(result).to_contain_text(reference)
            expect(result.locator(".status")).to_have_text("Registered")
            page.screenshot(path=str(artifacts_dir / "portal-status-360.png"), full_page=True)

            page.get_by_label("Last 4 digits of your mobile number").fill("0000")
            page.get_by_role("button", name="Check").click()
            expect(page.locator("#not-found")).to_be_visible()
            expect(page.locator("#result")).to_have_count(0)

            arabic = browser.new_context(viewport={"width": 360, "height": 780}, locale="ar-OM")
            arabic_page = arabic.new_page()
            arabic_page.goto(f"{server.url}/report/")
            expect(arabic_page.locator("html")).to_have_attribute("dir", "rtl")
            arabic_page.screenshot(path=str(artifacts_dir / "portal-report-form-ar-360.png"))
        finally:
            browser.close()

    ticket = Ticket.objects.get(reference=reference)
    assert (ticket.channel, ticket.address) == ("portal", "Al Khuwair roundabout")
    assert (ticket.latitude, ticket.longitude) == (Decimal("23.588000"), Decimal("58.382900"))
    assert Attachment.objects.filter(ticket=ticket, purpose="evidence").count() == 1
