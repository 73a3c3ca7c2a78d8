"""Two browser contexts: a citizen in the widget and the demo agent in the console."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

from demo.management.commands.demo_setup import DEMO_PASSWORD
from helpdesk.models import Category, Conversation, Ticket
from tests.conftest import CHROMIUM
from tests.support.chat import open_around_the_clock

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REFERENCE = re.compile(r"MCT-\d{4}-\d{6}")


def test_an_agent_takes_a_chat_replies_and_registers_a_ticket_the_citizen_sees(
    live_servers: Any, artifacts_dir: Path
) -> None:
    call_command("demo_setup", stdout=StringIO())
    open_around_the_clock(fallback=Category.objects.order_by("code").first())
    (server,) = live_servers(1)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            staff = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
            citizen = browser.new_context(
                viewport={"width": 360, "height": 740}, locale="ar-OM", device_scale_factor=2
            )
            console = staff.new_page()
            console.goto(f"{server.url}/accounts/login/")
            console.locator("input[name=username]").fill("agent")
            console.locator("input[name=password]").fill(DEMO_PASSWORD)
            console.locator("button.primary[type=submit]").click()
            console.wait_for_url(re.compile(r"/console/$"))
            expect(console.locator("#link-state")).to_have_text(re.compile(r"Connected|متصل"))
            console.locator("#presence").select_option("available")

            widget = citizen.new_page()
            widget.goto(f"{server.url}/")
            widget.get_by_role("button", name="تحدث معنا").click()
            panel = widget.get_by_role("dialog")
            panel.get_by_label("الاسم").fill("سعيد البلوشي")
            panel.locator("input[name=phone]").fill("9123 4567")
            panel.get_by_role("button", name="ابدأ المحادثة").click()
            log = panel.get_by_role("log")
            composer = panel.get_by_role("textbox", name="اكتب رسالتك…")
            composer.fill("توجد حفرة كبيرة أمام المدرسة في الخوير")
            composer.press("Enter")
            # The assistant answers first (demo_setup switches it on for web chat);
            # asking for a person hands the conversation to the live queue.
            expect(log.locator(".nc-bot").first).to_be_visible()
            composer.fill("موظف")
            composer.press("Enter")

            # The agent receives the offer, sees the citizen's words and accepts.
            offer = console.locator("#offers .offer")
            expect(offer).to_contain_text("سعيد البلوشي")
            pane = console.locator(".pane").filter(has_text="سعيد البلوشي")
            expect(pane.locator(".transcript")).to_contain_text("حفرة كبيرة")
            offer.get_by_role("button", name=re.compile("Accept|قبول")).click()
            expect(pane.locator(".composer")).to_be_visible()
            expect(log).to_contain_text("عائشة")  # the agent's display name

            pane.locator(".composer textarea").fill("أهلًا سعيد، سنسجل بلاغك الآن.")
            pane.locator(".composer button[type=submit]").click()
            expect(log).to_contain_text("سنسجل بلاغك الآن")

            # Convert to ticket: the form is prefilled from the conversation.
            pane.locator("[data-action=ticket]").click()
            form = console.locator("#ticket-form")
            expect(form.locator("[name=description]")).to_have_value(re.compile("حفرة كبيرة"))
            expect(form.locator("[name=phone]")).to_have_value("+96891234567")
            # No model is trained here: the keywords suggest, nothing is pre-selected.
            expect(form.locator("[name=category]")).to_have_value("")
            # The console speaks the agent's language (English here), not always Arabic.
            expect(form.locator("#ticket-suggestions")).to_contain_text("Potholes")
            form.locator("[name=category]").select_option("road_damage")
            form.locator("button[value=save]").click()
            expect(pane.locator(".transcript")).to_contain_text(REFERENCE)
            expect(log).to_contain_text(REFERENCE)

            console.screenshot(path=str(artifacts_dir / "console-agent.png"), full_page=True)
            widget.screenshot(path=str(artifacts_dir / "console-citizen-360px.png"))
        finally:
            browser.close()

    conversation = Conversation.objects.get()
    ticket = Ticket.objects.get()
    assert ticket.conversation_id == conversation.pk
    assert ticket.category.code == "road_damage"
    assert ticket.status == "registered"
    assert conversation.messages.filter(text__contains=ticket.reference).exists()


def test_a_supervisors_console_keeps_its_own_status_when_a_colleague_changes_theirs(
    live_servers: Any,
) -> None:
    # A supervisor's console also hears every agent's presence.changed (the wallboard's
    # group); only the ones about the supervisor may move their own status selector.
    call_command("demo_setup", stdout=StringIO())
    (server,) = live_servers(1)
    agent2 = get_user_model().objects.get(username="agent2")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = {}
            for username in ("supervisor", "agent2"):
                page = browser.new_context(locale="en-GB").new_page()
                page.goto(f"{server.url}/accounts/login/")
                page.locator("input[name=username]").fill(username)
                page.locator("input[name=password]").fill(DEMO_PASSWORD)
                page.locator("button.primary[type=submit]").click()
                page.wait_for_load_state()
                page.goto(f"{server.url}/console/")
                expect(page.locator("#link-state")).to_have_text("Connected")
                pages[username] = page
            supervisor = pages["supervisor"]
            supervisor.locator("#presence").select_option("available")
            expect(supervisor.locator("#presence")).to_have_value("available")

            heard: list[str] = []

            def on_socket(socket: Any) -> None:
                socket.on("framereceived", lambda payload: heard.append(str(payload)))

            supervisor.on("websocket", on_socket)
            supervisor.reload()  # a new socket, its frames seen by the test
            expect(supervisor.locator("#link-state")).to_have_text("Connected")
            pages["agent2"].locator("#presence").select_option("away")
            colleague = f'"agent": {agent2.pk}, "presence": "away"'
            deadline = 50
            while deadline and not any(colleague in frame for frame in heard):
                supervisor.wait_for_timeout(100)
                deadline -= 1
            assert any(colleague in frame for frame in heard), "the colleague's change arrived"
            supervisor.wait_for_timeout(300)  # the page has handled it
            expect(supervisor.locator("#presence")).to_have_value("available")
        finally:
            browser.close()
