"""The widget in a real browser: Debian's Chromium on a 360 px phone and a 1366 px laptop.

The pre-chat form starts the chat on the socket (``start``), never with
``POST /chat/api/session``; the tests watch the requests to hold it to that.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from helpdesk.models import AgentProfile, Attachment, Conversation, Message, Presence
from tests.conftest import CHROMIUM
from tests.support.chat import agent_on_duty, open_around_the_clock
from tests.support.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def server(live_servers: Any) -> Any:
    """A web process of a center open around the clock with an agent on duty."""
    open_around_the_clock(fallback=make_org().pothole)
    agent_on_duty()
    (live,) = live_servers(1)
    return live


def session_posts(page: Page) -> list[str]:
    """Every ``POST /chat/api/session`` the page makes from now on (there should be none)."""
    posts: list[str] = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.url)
            if request.method == "POST" and "/chat/api/session" in request.url
            else None
        ),
    )
    return posts


def launch(playwright: Any) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def phone_in_arabic(browser: Browser) -> Page:
    return browser.new_page(
        viewport={"width": 360, "height": 740}, locale="ar-OM", device_scale_factor=2
    )


def fill_the_arabic_form(page: Page, url: str) -> Locator:
    """The widget opened on the site's home page, the pre-chat form filled in, not sent."""
    page.goto(f"{url}/")
    expect(page.locator(".nidaa-chat")).to_have_attribute("dir", "rtl")
    page.get_by_role("button", name="تحدث معنا").click()
    panel = page.get_by_role("dialog")
    panel.get_by_label("الاسم").fill("سعيد البلوشي")
    panel.locator("input[name=phone]").fill("9123 4567")
    return panel


def everyone_goes_away() -> None:
    """The last agent leaves; in a thread of its own, for sync Playwright runs an event
    loop in the test's thread and Django refuses the ORM there."""

    def away() -> None:
        try:
            AgentProfile.objects.update(presence=Presence.AWAY)
        finally:
            connection.close()

    thread = threading.Thread(target=away)
    thread.start()
    thread.join()


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
    server: Any, artifacts_dir: Path, tmp_path: Path
) -> None:
    image = photo(tmp_path / "pothole.jpg")

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = phone_in_arabic(browser)
            posts = session_posts(page)
            panel = fill_the_arabic_form(page, server.url)
            panel.get_by_role("button", name="ابدأ المحادثة").click()

            log = panel.get_by_role("log")
            expect(log).to_contain_text("بدأت المحادثة.")
            composer = panel.get_by_role("textbox", name="اكتب رسالتك…")
            expect(composer).to_be_focused()
            page.screenshot(path=str(artifacts_dir / "chat-started-ar-360px.png"))
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

    assert posts == []
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


def test_a_citizen_corrects_a_bad_number_and_starts_in_english_on_a_laptop(
    server: Any, artifacts_dir: Path
) -> None:

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="en-GB")
            posts = session_posts(page)
            page.goto(f"{server.url}/")
            expect(page.locator(".nidaa-chat")).to_have_attribute("dir", "ltr")
            page.get_by_role("button", name="Chat with us").click()
            panel = page.get_by_role("dialog")
            panel.get_by_label("Your name").fill("Said Al Balushi")
            phone = panel.locator("input[name=phone]")
            phone.fill("12")
            panel.get_by_role("button", name="Start chat").click()

            expect(panel.get_by_role("alert")).to_have_text(
                "This mobile number is not valid. Example: 9123 4567"
            )
            expect(phone).to_be_focused()
            expect(panel.get_by_label("Your name")).to_have_value("Said Al Balushi")
            phone.fill("9123 4567")
            panel.get_by_role("button", name="Start chat").click()

            expect(panel.get_by_role("log")).to_contain_text("Chat started.")
            expect(panel.get_by_role("textbox", name="Write a message…")).to_be_focused()
            page.screenshot(path=str(artifacts_dir / "chat-started-en-1366px.png"))
        finally:
            browser.close()

    assert posts == []
    conversation = Conversation.objects.get()
    assert conversation.language == "en"
    assert conversation.contact.phone == "+96891234567"


def test_the_form_keeps_what_was_typed_when_the_socket_cannot_open(
    server: Any, artifacts_dir: Path
) -> None:

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = phone_in_arabic(browser)
            panel = fill_the_arabic_form(page, server.url)
            server.kill()
            start = panel.get_by_role("button", name="ابدأ المحادثة")
            start.click()

            expect(panel.get_by_role("alert")).to_contain_text("تعذّر الاتصال بمركز الاتصال")
            expect(start).to_be_enabled()
            expect(start).to_be_focused()
            expect(panel.get_by_label("الاسم")).to_have_value("سعيد البلوشي")
            expect(panel.locator("input[name=phone]")).to_have_value("9123 4567")
            page.screenshot(path=str(artifacts_dir / "chat-cannot-connect-ar-360px.png"))

            server.restart()
            start.click()
            expect(panel.get_by_role("log")).to_contain_text("بدأت المحادثة.")
        finally:
            browser.close()

    assert Conversation.objects.get().contact.name == "سعيد البلوشي"


def test_a_start_refused_for_want_of_agents_offers_the_message_form_filled_in(
    server: Any, artifacts_dir: Path
) -> None:

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = phone_in_arabic(browser)
            panel = fill_the_arabic_form(page, server.url)
            everyone_goes_away()  # while the citizen fills the form
            panel.get_by_role("button", name="ابدأ المحادثة").click()

            offline = panel.locator("form.nc-offline")
            expect(offline).to_contain_text("لا يوجد موظف متاح الآن")
            expect(offline.locator("input[name=name]")).to_have_value("سعيد البلوشي")
            expect(offline.locator("input[name=phone]")).to_have_value("9123 4567")
            expect(offline.locator("textarea[name=text]")).to_be_focused()
            page.screenshot(path=str(artifacts_dir / "chat-offline-filled-in-ar-360px.png"))
        finally:
            browser.close()

    assert not Conversation.objects.exists()
