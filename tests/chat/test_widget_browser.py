"""The widget in a real browser: Debian's Chromium on a 360 px wide phone screen."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect, sync_playwright

from helpdesk.models import Attachment, Conversation, Message
from tests.chat.conftest import agent_on_duty, open_around_the_clock
from tests.conftest import CHROMIUM
from tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def photo(path: Path) -> Path:
    image = Image.new("RGB", (640, 480), (90, 90, 90))
    for x in range(200, 440):
        for y in range(180, 300):
            image.putpixel((x, y), (30, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_a_citizen_chats_in_arabic_and_sends_text_and_a_photo(
    live_servers: Any, artifacts_dir: Path, tmp_path: Path
) -> None:
    open_around_the_clock(fallback=make_org().pothole)
    agent_on_duty()
    (server,) = live_servers(1)
    image = photo(tmp_path / "pothole.jpg")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": 360, "height": 740}, locale="ar-OM", device_scale_factor=2
            )
            page.goto(f"{server.url}/")
            widget = page.locator(".nidaa-chat")
            expect(widget).to_have_attribute("dir", "rtl")

            page.get_by_role("button", name="تحدث معنا").click()
            panel = page.get_by_role("dialog")
            panel.get_by_label("الاسم").fill("سعيد البلوشي")
            panel.locator("input[name=phone]").fill("9123 4567")
            panel.get_by_role("button", name="ابدأ المحادثة").click()

            log = panel.get_by_role("log")
            expect(log).to_contain_text("بدأت المحادثة.")
            composer = panel.get_by_role("textbox", name="اكتب رسالتك…")
            composer.fill("توجد حفرة كبيرة أمام المدرسة https://example.org/map")
            composer.press("Enter")
            text_bubble = log.locator(".nc-citizen[data-seq]").filter(has_text="حفرة كبيرة")
            expect(text_bubble).to_contain_text("أُرسلت")
            expect(text_bubble.get_by_role("link")).to_have_attribute(
                "href", "https://example.org/map"
            )

            panel.locator("input[type=file]").set_input_files(str(image))
            photo_bubble = log.locator(".nc-citizen[data-seq]").filter(has=page.locator("img"))
            expect(photo_bubble).to_contain_text("أُرسلت")

            page.locator("#nc-panel").screenshot(path=str(artifacts_dir / "chat-widget-ar.png"))
            page.screenshot(path=str(artifacts_dir / "chat-widget-ar-360px.png"))
            # Keyboard: Escape closes the window and gives focus back to the launcher.
            composer.press("Escape")
            expect(panel).to_be_hidden()
            expect(page.get_by_role("button", name="تحدث معنا")).to_be_focused()
        finally:
            browser.close()

    conversation = Conversation.objects.get()
    assert conversation.language == "ar"
    assert conversation.contact.phone == "+96891234567"
    texts = list(
        Message.objects.filter(conversation=conversation, sender_kind="citizen").values_list(
            "text", flat=True
        )
    )
    assert texts == ["توجد حفرة كبيرة أمام المدرسة https://example.org/map", ""]
    assert Attachment.objects.get(conversation=conversation).message is not None
