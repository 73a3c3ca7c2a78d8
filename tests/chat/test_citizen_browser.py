"""The citizen's side in Chromium at 360 px, Arabic and English (issue 13).

A reference reads on one line and in order in a chat bubble, on the status page
and in the Arabic SMS text; at night the assistant answers (greeting, quick
replies, a status look-up, a message left for the morning); a page on another
origin embeds the widget and chats; a citizen without a phone who comes back
sees the ticket's update in the chat. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from bots.services import channel_settings_ensure, knowledge_seed_load
from helpdesk.models import Contact, Notification, Ticket
from helpdesk.notify.delivery import notification_deliver
from helpdesk.notify.rendering import render
from helpdesk.services.tickets import ticket_dispatch, ticket_register
from tests.conftest import CHROMIUM
from tests.support.chat import open_around_the_clock
from tests.support.factories import actor, make_contact, make_org, make_staff, make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Where in an element a reference sits: how many lines its characters cover, and
# whether its first character is drawn left of its last (left-to-right, as written).
# U+2011 (non-breaking hyphen, as in the Arabic SMS) counts as a hyphen.
LAYOUT_JS = """(root, reference) => {
  const pattern = new RegExp(reference.split("-").join("[-\\u2011]"));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let found = null;
  let node;
  while (!found && (node = walker.nextNode())) {
    const match = pattern.exec(node.data);
    if (match) found = [node, match.index, match.index + match[0].length];
  }
  if (!found) return null;
  const [text, start, end] = found;
  const range = document.createRange();
  const tops = new Set();
  for (let i = start; i < end; i++) {
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    tops.add(Math.round(range.getBoundingClientRect().top));
  }
  range.setStart(text, start); range.setEnd(text, start + 1);
  const first = range.getBoundingClientRect().left;
  range.setStart(text, end - 1); range.setEnd(text, end);
  const last = range.getBoundingClientRect().left;
  return { lines: tops.size, leftToRight: first < last };
}"""


def reference_layout(locator: Locator, reference: str) -> dict[str, Any]:
    layout = locator.evaluate(LAYOUT_JS, reference)
    assert layout is not None, f"{reference} not found in {locator.inner_text()!r}"
    return layout


def assert_reads_whole(locator: Locator, reference: str) -> None:
    assert reference_layout(locator, reference) == {"lines": 1, "leftToRight": True}


def in_thread(work: Callable[[], Any]) -> Any:
    """ORM work while sync Playwright runs its event loop in the test's thread."""
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert result, "the work in the thread failed (see the log above)"
    return result[0]


def launch(playwright: Any) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def phone(browser: Browser, locale: str) -> Page:
    return browser.new_page(
        viewport={"width": 360, "height": 740}, locale=locale, device_scale_factor=2
    )


def night_center() -> Any:
    """Today is not a working day (the live chat opens 07:30–14:30 on the others),
    nobody is on duty, the assistant is on."""
    org = make_org()
    settings = open_around_the_clock(fallback=org.garbage)
    today = timezone.localtime().weekday()
    settings.working_days = [day for day in range(7) if day != today]
    settings.chat_opens, settings.chat_closes = datetime.time(7, 30), datetime.time(14, 30)
    settings.save()
    channel_settings_ensure()
    knowledge_seed_load()
    return org


@pytest.fixture
def night(live_servers: Any) -> Iterator[tuple[Any, Any]]:
    org = night_center()
    (live,) = live_servers(1)
    yield org, live


def open_widget(page: Page, url: str, launcher: str) -> Locator:
    page.goto(url)
    page.get_by_role("button", name=launcher).click()
    return page.get_by_role("dialog")


def start_in_english(page: Page, url: str) -> tuple[Locator, Locator]:
    """The English widget opened, the pre-chat form sent, the assistant's greeting seen."""
    panel = open_widget(page, url, "Chat with us")
    panel.get_by_label("Your name").fill("Said")
    panel.get_by_role("button", name="Start chat").click()
    log = panel.get_by_role("log")
    expect(log).to_contain_text("Welcome to Muscat Municipality")
    return panel, log


def test_at_night_the_assistant_answers_in_arabic_and_looks_up_a_status(
    night: tuple[Any, Any], artifacts_dir: Path
) -> None:
    org, live = night
    ticket = make_ticket(org, contact=make_contact(phone="+96891234567"))

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = phone(browser, "ar-OM")
            panel = open_widget(page, f"{live.url}/", "تحدث معنا")
            expect(panel.locator(".nc-intro")).to_contain_text("المساعد الآلي يجيبك الآن")
            expect(panel.locator(".nc-intro")).to_contain_text("من 07:30 إلى 14:30")
            page.screenshot(path=str(artifacts_dir / "widget-night-ar-360px.png"))
            panel.get_by_label("الاسم").fill("سعيد")
            panel.get_by_role("button", name="ابدأ المحادثة").click()

            log = panel.get_by_role("log")
            expect(log).to_contain_text("أهلاً بك في بلدية مسقط")
            menu = panel.get_by_role("list", name="اختر إجابة")
            expect(menu.get_by_role("button")).to_have_count(4)
            page.screenshot(path=str(artifacts_dir / "widget-quick-replies-ar-360px.png"))

            menu.get_by_role("button", name="حالة بلاغ").click()
            expect(log.locator(".nc-bot").last).to_contain_text("رقم البلاغ")
            composer = panel.get_by_role("textbox", name="اكتب رسالتك…")
            composer.fill(ticket.reference)
            composer.press("Enter")
            expect(log.locator(".nc-bot").last).to_contain_text("آخر 4 أرقام")
            composer.fill("4567")  # typed, not tapped: the flow reads it as before
            composer.press("Enter")
            answer = log.locator(".nc-bot").filter(has_text=ticket.reference).last
            expect(answer).to_be_visible()
            island = answer.locator("bdi.nc-ltr", has_text=ticket.reference)
            expect(island).to_have_text(ticket.reference)
            assert_reads_whole(island, ticket.reference)
            answer.scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts_dir / "widget-reference-ar-bubble-360px.png"))
            # An English line in the Arabic chat reads in its own direction.
            expect(answer.locator(".nc-text")).to_have_attribute("dir", "auto")
            # The time of the last update is one island too, not «14 07:2026-11-30».
            stamp = answer.locator("bdi.nc-ltr").filter(has_text=":")
            expect(stamp).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
        finally:
            browser.close()


def test_at_night_a_person_request_leaves_a_message_for_the_morning_in_english(
    night: tuple[Any, Any], artifacts_dir: Path
) -> None:
    _org, live = night
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = phone(browser, "en-GB")
            panel, log = start_in_english(page, f"{live.url}/")
            panel.get_by_role("button", name="Talk to a staff member").click()
            expect(log.locator(".nc-bot").last).to_contain_text("not on duty now")
            page.screenshot(path=str(artifacts_dir / "widget-night-person-en-360px.png"))
            composer = panel.get_by_role("textbox", name="Write a message…")
            composer.fill("The street light in front of house 12 has been out all week")
            composer.press("Enter")
            expect(log.locator(".nc-bot").last).to_contain_text("registered as report")
        finally:
            browser.close()
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.channel) == ("new", "webchat")
    assert ticket.description.startswith("The street light")


def test_a_citizen_without_a_phone_sees_the_update_in_the_chat_after_coming_back(
    night: tuple[Any, Any], artifacts_dir: Path
) -> None:
    org, live = night
    agent = make_staff("agent")
    dispatcher = make_staff("dispatcher")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(
                viewport={"width": 360, "height": 740}, locale="ar-OM", device_scale_factor=2
            )
            page = context.new_page()
            panel = open_widget(page, f"{live.url}/", "تحدث معنا")
            panel.get_by_label("الاسم").fill("مريم")
            panel.get_by_role("button", name="ابدأ المحادثة").click()
            log = panel.get_by_role("log")
            panel.get_by_role("button", name="التحدث إلى موظف").click()
            expect(log.locator(".nc-bot").last).to_contain_text("خارج الدوام")
            composer = panel.get_by_role("textbox", name="اكتب رسالتك…")
            composer.fill("القمامة لم تُجمع من حارتنا منذ أسبوع")
            composer.press("Enter")
            expect(log.locator(".nc-bot").last).to_contain_text("سُجِّلت رسالتك")
            page.close()  # the citizen leaves

            def morning() -> str:
                ticket = Ticket.objects.get()
                assert Contact.objects.get(pk=ticket.contact_id).phone == ""
                ticket_register(ticket=ticket, actor=actor(agent))
                ticket_dispatch(ticket=ticket, actor=actor(dispatcher), section=org.collection)
                for notification in Notification.objects.filter(ticket=ticket).order_by("pk"):
                    notification_deliver(notification_id=notification.pk)
                return ticket.reference

            reference = in_thread(morning)

            page = context.new_page()  # back, with the token the browser kept
            page.goto(f"{live.url}/")
            page.get_by_role("button", name="تحدث معنا").click()
            notices = page.get_by_role("dialog").locator(".nc-notice")
            expect(notices).to_have_count(2)
            expect(notices.last).to_contain_text("أحيل بلاغكم")
            assert_reads_whole(notices.last, reference)
            page.screenshot(path=str(artifacts_dir / "widget-update-after-return-ar-360px.png"))
        finally:
            browser.close()


class _Municipality(BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_page_on_another_origin_embeds_the_widget_and_chats(
    live_servers: Any, artifacts_dir: Path
) -> None:
    night_center()
    site = ThreadingHTTPServer(("127.0.0.1", 0), _Municipality)
    origin = f"http://127.0.0.1:{site.server_address[1]}"
    (live,) = live_servers(1, NIDAA_WIDGET_ORIGINS=origin)
    _Municipality.page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width"><title>Muscat Municipality</title>'
        f'</head><body><h1>Muscat Municipality</h1><script src="{live.url}/static/chat/widget.js"'
        ' data-lang="en" defer></script></body></html>'
    ).encode()
    serving = threading.Thread(target=site.serve_forever, daemon=True)
    serving.start()
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                page = phone(browser, "en-GB")
                failures: list[str] = []
                page.on("requestfailed", lambda request: failures.append(request.url))
                panel, log = start_in_english(page, f"{origin}/")
                panel.get_by_role("button", name="Service procedures").click()
                citizen = log.locator(".nc-citizen").filter(has_text="Service procedures")
                expect(citizen).to_contain_text("Sent")
                expect(log.locator(".nc-bot").last).to_contain_text("Which service?")
                page.screenshot(path=str(artifacts_dir / "widget-embedded-other-origin-en.png"))
                assert failures == []
            finally:
                browser.close()
    finally:
        site.shutdown()


@pytest.mark.django_db
def test_a_reference_in_an_arabic_sms_reads_whole_on_a_phone_screen() -> None:
    org = make_org()
    ticket = make_ticket(org)
    body = render("ticket_registered", channel="sms", language="ar", ticket=ticket).body
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = phone(browser, "ar-OM")
            page.set_content(
                '<html lang="ar" dir="rtl"><body style="margin:0">'
                '<p id="sms" style="white-space:pre-wrap;font:17px sans-serif;margin:0"></p>'
                "</body></html>"
            )
            sms = page.locator("#sms")
            sms.evaluate("(node, text) => { node.textContent = text; }", body)
            # Every width a phone's message bubble may have: the reference never splits
            # over two lines nor turns around.
            for width in range(150, 361, 6):
                sms.evaluate("(node, width) => { node.style.width = width + 'px'; }", width)
                assert reference_layout(sms, ticket.reference) == {
                    "lines": 1,
                    "leftToRight": True,
                }, width
        finally:
            browser.close()


def test_the_status_page_shows_the_reference_whole_in_arabic(live_servers: Any) -> None:
    org = make_org()
    ticket = make_ticket(org, contact=make_contact(phone="+96891234567"))
    (live,) = live_servers(1)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = phone(browser, "ar-OM")
            page.goto(f"{live.url}/status/")
            page.locator("#id_reference").fill(ticket.reference)
            page.locator("#id_digits").fill("4567")
            page.locator("form.stack button[type=submit]").click()
            heading = page.locator("#status-reference")
            expect(heading).to_have_text(ticket.reference)
            assert_reads_whole(heading, ticket.reference)
        finally:
            browser.close()


def test_the_first_visit_with_nobody_on_duty_offers_the_assistant_in_arabic(
    live_servers: Any, artifacts_dir: Path
) -> None:
    open_around_the_clock(fallback=make_org().garbage)  # open hours, but no agent on duty
    channel_settings_ensure()
    (live,) = live_servers(1)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = phone(browser, "ar-OM")
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            panel = open_widget(page, f"{live.url}/", "تحدث معنا")
            expect(panel.locator(".nc-intro")).to_have_text(
                "المساعد الآلي يجيبك الآن، وسيصلك بأحد الموظفين متى طلبت ذلك."
            )
            expect(panel.get_by_label("الاسم")).to_be_focused()
            page.screenshot(path=str(artifacts_dir / "widget-first-visit-no-agent-ar-360px.png"))
            panel.get_by_label("الاسم").fill("سعيد")
            panel.get_by_role("button", name="ابدأ المحادثة").click()
            expect(panel.get_by_role("list", name="اختر إجابة")).to_be_visible()
            assert errors == []
        finally:
            browser.close()
