"""The agent console as an agent works in it, in Arabic and in English (real Chromium).

Citizens' chats are started through the chat services in the test process; the
live server's console hears their events over the shared Redis channel layer.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect, sync_playwright

from bots.models import BotChannelSettings
from chat import selectors, services
from chat.session import ChatState
from demo.management.commands.demo_setup import DEMO_PASSWORD
from helpdesk.models import AgentProfile, Category, Conversation, Presence, Ticket
from helpdesk.services.distributor import conversation_end
from tests.conftest import CHROMIUM
from tests.support.chat import open_around_the_clock
from tests.support.images import png_bytes
from tests.support.live import off_the_loop, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REFERENCE = re.compile(r"MCT-\d{4}-\d{6}")
# Codes of the wire that a person must never read on the console. In English some
# codes are also plain words ("Conversation opened"); those only count in Arabic.
RAW_CODES = re.compile(
    r"\b(webchat|wrap_up|citizen_ended|connection_lost|logged_out|off_duty|assistant:\w+|"
    r"agent_closed|offer_expired|left_message|road_damage)\b|(?<![A-Za-z])(ar|en)(?![A-Za-z])"
)
RAW_CODES_AR = re.compile(r"[A-Za-z_]{2,}")  # an Arabic console shows no Latin word at all


def _desk(*, capacity: int = 3) -> None:
    call_command("demo_setup", stdout=StringIO())
    open_around_the_clock(fallback=Category.objects.order_by("code").first())
    # Chats go straight to the live queue: what the console shows is what the test wrote.
    BotChannelSettings.objects.update(enabled=False)
    AgentProfile.objects.filter(user__username="agent").update(max_concurrent=capacity)


def _chat(name: str, *texts: str) -> Conversation:
    return off_the_loop(_chat_started, name, *texts)


def _chat_started(name: str, *texts: str) -> Conversation:
    conversation = services.chat_start(name=name, phone="9123 4567", language="ar")
    for number, text in enumerate(texts):
        services.chat_message_receive(
            chat=ChatState.of(conversation), client_msg_id=f"m{number}", text=text
        )
    return conversation


def _console(browser: Any, url: str, locale: str) -> Page:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=locale)
    page: Page = context.new_page()
    sign_in(page, url, "agent", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/console/$"))
    expect(page.locator("#link-state")).to_have_text(re.compile(r"Connected|متصل"))
    page.locator("#presence").select_option("available")
    for _attempt in range(100):  # the presence frame is on its way to the server
        if off_the_loop(selectors.chat_availability).mode == "live":
            break
        page.wait_for_timeout(100)
    return page


def _pane(page: Page, name: str) -> Any:
    return page.locator(".pane").filter(has=page.locator(".pane-name", has_text=name))


def test_it_serves_two_chats_and_an_offer_in_arabic_without_losing_work(
    live_servers: Any, artifacts_dir: Path
) -> None:
    _desk()
    (server,) = live_servers(1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _console(browser, server.url, "ar-OM")
            first = _chat("سعيد البلوشي", "مرحبا", "0", "توجد حفرة كبيرة أمام المدرسة في الخوير")

            # An offer: a countdown, and no reply box until it is accepted.
            offer = page.locator("#offers .offer")
            expect(offer).to_contain_text("سعيد البلوشي")
            expect(offer.locator(".countdown")).to_contain_text(re.compile(r"\d"))
            said = _pane(page, "سعيد البلوشي")
            expect(said.locator(".transcript")).to_contain_text("حفرة كبيرة")
            expect(said.locator(".composer")).to_be_hidden()
            offer.get_by_role("button", name="قبول").click()
            reply = said.locator(".composer textarea")
            expect(reply).to_be_visible()

            # A draft survives a reload; Enter sends, Shift+Enter starts a new line.
            reply.fill("مسودة لم ترسل بعد")
            page.reload()
            expect(page.locator("#link-state")).to_have_text("متصل")
            expect(reply).to_have_value("مسودة لم ترسل بعد")
            reply.fill("")
            reply.type("السطر الأول")
            reply.press("Shift+Enter")
            reply.type("السطر الثاني")
            reply.press("Enter")
            expect(said.locator(".msg-agent")).to_contain_text("السطر الثاني")
            expect(reply).to_have_value("")
            assert off_the_loop(first.messages.filter(text="السطر الأول\nالسطر الثاني").exists)

            # Convert to ticket: the subject says what it is about, not the first message.
            said.locator("[data-action=ticket]").click()
            form = page.locator("#ticket-form")
            road = off_the_loop(Category.objects.get, code="road_damage")
            expect(form.locator("[name=description]")).to_have_value(re.compile("حفرة كبيرة"))
            expect(form.locator("[name=subject]")).to_have_value(road.name_ar)
            form.locator("[name=category]").select_option("road_damage")
            form.locator("button[value=save]").click()
            link = said.locator(".pane-tickets a.ticket-link")
            expect(link).to_contain_text(REFERENCE)
            ticket = off_the_loop(Ticket.objects.get, conversation=first)
            assert link.get_attribute("href") == f"/tickets/{ticket.pk}/"

            # A second conversion is refused until the agent ticks "another ticket".
            said.locator("[data-action=ticket]").click()
            expect(page.locator("#ticket-existing")).to_be_visible()
            expect(page.locator("#ticket-existing")).to_contain_text(ticket.reference)
            form.locator("[name=category]").select_option("road_damage")
            form.locator("button[value=save]").click()
            expect(page.locator("#ticket-dialog")).to_be_visible()  # the box is required
            assert off_the_loop(Ticket.objects.filter(conversation=first).count) == 1
            form.locator("[name=another]").check()
            form.locator("button[value=save]").click()
            expect(said.locator(".pane-tickets a.ticket-link")).to_have_count(2)

            # Two chats and an offer, at 1366 px, for people to look at.
            _chat("مريم الهنائية", "أريد تجديد رخصة البناء")
            page.locator("#offers .offer").filter(has_text="مريم الهنائية").get_by_role(
                "button", name="قبول"
            ).click()
            expect(_pane(page, "مريم الهنائية").locator(".composer")).to_be_visible()
            _chat("خالد الحارثي", "انقطاع المياه في العامرات منذ الصباح")
            expect(page.locator("#offers .offer")).to_contain_text("خالد الحارثي")
            expect(page.locator("#tabs .tab")).to_have_count(2)
            expect(page.locator("#tabs .tab").first).to_contain_text(REFERENCE)  # its last message
            page.screenshot(path=str(artifacts_dir / "console-two-chats-and-an-offer-ar.png"))
            shown = page.locator("#console").inner_text()
            assert not RAW_CODES.search(shown), RAW_CODES.search(shown)
            without_references = re.sub(r"MCT[-\d\s]*", "", shown)
            assert not RAW_CODES_AR.search(without_references), RAW_CODES_AR.search(shown)

            # The citizen ends the chat: the pane stays for the wrap-up.
            off_the_loop(conversation_end, conversation=first, by="citizen")
            expect(said.locator(".ended-note")).to_be_visible()
            expect(said.locator(".composer")).to_be_hidden()
            said.locator("[data-action=close]").click()
            page.locator("#close-form [name=disposition]").select_option("ticket_created")
            page.locator("#close-form button[value=save]").click()
            expect(said).to_have_count(0)
            for _attempt in range(50):  # the close frame is on its way
                off_the_loop(first.refresh_from_db)
                if first.disposition != "citizen_ended":
                    break
                page.wait_for_timeout(100)
            assert first.disposition == "ticket_created"

            # Logging out ends the shift at once: off duty, the chats back in the queue.
            page.get_by_role("button", name="تسجيل الخروج").click()
            page.wait_for_url(re.compile(r"/accounts/login/|/$"))
            page.wait_for_load_state()
            profile = off_the_loop(AgentProfile.objects.get, user__username="agent")
            assert profile.presence == Presence.OFF_DUTY
            held = Conversation.objects.filter(assignee_id=profile.user_id, state="assigned")
            offered = Conversation.objects.filter(offered_to_id=profile.user_id, state="offered")
            assert not off_the_loop(held.exists)
            assert not off_the_loop(offered.exists)
        finally:
            browser.close()


def test_it_speaks_english_to_an_english_agent(live_servers: Any, artifacts_dir: Path) -> None:
    _desk()
    (server,) = live_servers(1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _console(browser, server.url, "en-GB")
            _chat("Said", "There is a big pothole near the school in Al Khuwair")
            page.locator("#offers .offer").get_by_role("button", name="Accept").click()
            pane = _pane(page, "Said")
            expect(pane.locator(".pane-meta")).to_contain_text("Web chat")
            expect(pane.locator(".pane-meta bdi[dir=ltr]")).to_have_text("+96891234567")
            # "/" in an empty reply searches the canned replies (more than four, searchable).
            reply = pane.locator(".composer textarea")
            expect(reply).to_be_visible()
            reply.press("/")
            canned = pane.locator(".composer .canned")
            expect(canned).to_be_focused()
            assert page.locator("#canned-replies option").count() > 4
            canned.fill("One moment")
            canned.press("Tab")
            # Found by its English title, written in the citizen's language (Arabic here).
            expect(reply).to_have_value("لحظة من فضلك يا Said، أتحقق من الأمر.")
            reply.press("Enter")
            expect(pane.locator(".msg-agent")).to_contain_text("لحظة من فضلك")

            # The agent sends a photo, as the citizen can.
            pane.locator(".attach-file").set_input_files(
                files=[{"name": "map.png", "mimeType": "image/png", "buffer": png_bytes()}]
            )
            expect(pane.locator(".msg-agent img.thumb")).to_have_count(1)

            # A refusal from the server, in the agent's language.
            pane.locator("[data-action=ticket]").click()
            form = page.locator("#ticket-form")
            form.locator("[name=category]").evaluate("select => select.required = false")
            form.locator("[name=category]").select_option("")
            form.locator("button[value=save]").click()
            expect(page.locator("#link-state")).to_have_text("Choose a category.")
            shown = page.locator("#console").inner_text()
            assert not RAW_CODES.search(shown), RAW_CODES.search(shown)
            page.screenshot(path=str(artifacts_dir / "console-en.png"))
        finally:
            browser.close()
