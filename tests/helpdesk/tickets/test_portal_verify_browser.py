"""The portal's number check in Chromium: Arabic, a 360 px phone, the code from the SMS."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from helpdesk.models import Notification, Ticket
from tests.conftest import CHROMIUM
from tests.support.factories import make_org
from tests.support.live import off_the_loop

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
NUMBER = "+96891234567"


def texted(template: str) -> list[Notification]:
    return list(Notification.objects.filter(channel="sms", recipient=NUMBER, template_key=template))


def test_an_arabic_citizen_verifies_the_number_on_the_thanks_page(
    live_servers: Any, artifacts_dir: Path
) -> None:
    org = make_org()
    (server,) = live_servers(1, NIDAA_PORTAL_MIN_SECONDS=1)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 360, "height": 780}, locale="ar-OM")
            page = context.new_page()
            page.goto(f"{server.url}/report/")
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            page.locator("#id_category").select_option(value=str(org.pothole.pk))
            page.locator("#id_description").fill("حفرة عميقة عند الدوار")
            page.locator("#id_address").fill("دوار الخوير")
            page.locator("#id_phone").fill("٩١٢٣ ٤٥٦٧")
            # The form refuses submissions faster than a person (1 s here): be a person.
            page.wait_for_timeout(1500)
            page.locator("#report-form [type=submit]").click()

            expect(page.locator("#reference")).to_contain_text("MCT-")
            reference = page.locator("#reference").inner_text().strip()
            # Not before the number is proven (the ORM runs off Playwright's loop).
            assert off_the_loop(texted, "ticket_registered") == []

            page.get_by_role("button", name="أرسلوا لي رمزًا").click()
            expect(page.get_by_label("الرمز الوارد في الرسالة النصية")).to_be_visible()
            [code_sms] = off_the_loop(texted, "phone_code")
            assert "رمز التحقق" in code_sms.body
            found = re.search(r"\d{6}", code_sms.body)
            assert found is not None
            page.get_by_label("الرمز الوارد في الرسالة النصية").fill(found.group())
            page.screenshot(path=str(artifacts_dir / "portal-verify-code-ar-360.png"))
            page.get_by_role("button", name="تحقق", exact=True).click()

            verified = page.locator("#verified")
            expect(verified).to_contain_text("تم التحقق من رقم هاتفك النقال")
            expect(page.locator("#reference")).to_contain_text(reference)
            page.screenshot(path=str(artifacts_dir / "portal-verified-ar-360.png"))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360
        finally:
            browser.close()

    [registered] = texted("ticket_registered")
    assert registered.ticket == Ticket.objects.get(reference=reference)
