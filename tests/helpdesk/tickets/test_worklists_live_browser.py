"""Dispatcher, section and partner worklists update without a reload, each in its scope."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect, sync_playwright

from demo.management.commands.demo_setup import DEMO_PASSWORD
from helpdesk.models import Category, Partner, Ticket
from helpdesk.roles import actor_for
from helpdesk.services.contacts import contact_create
from helpdesk.services.tickets import ticket_create, ticket_dispatch, ticket_forward_to_partner
from tests.conftest import CHROMIUM
from tests.support.live import off_the_loop, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _signed_in(browser: Any, url: str, username: str, locale: str, path: str) -> Page:
    page: Page = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale=locale
    ).new_page()
    sign_in(page, url, username, DEMO_PASSWORD)
    page.goto(f"{url}{path}")
    expect(page.locator("[data-live-worklist]")).to_have_attribute("data-live", "up")
    return page


def _registered(subject: str, *, in_section_of: str) -> Ticket:
    user = get_user_model().objects.get(username=in_section_of)
    section = user.profile.sections.order_by("pk").first()
    category = Category.objects.filter(default_section=section, is_active=True).first()
    assert category is not None
    contact = contact_create(name="سعيد", phone="91234567")
    return ticket_create(
        actor=actor_for(get_user_model().objects.get(username="agent")),
        contact=contact,
        channel="phone",
        category=category,
        subject=subject,
        description=subject,
    )


def _dispatched(ticket: Ticket) -> None:
    ticket_dispatch(
        ticket=ticket, actor=actor_for(get_user_model().objects.get(username="dispatcher"))
    )


def _to_partner(ticket: Ticket) -> None:
    ticket_forward_to_partner(
        ticket=ticket,
        actor=actor_for(get_user_model().objects.get(username="dispatcher")),
        partner=Partner.objects.get(code="haya_water"),
    )


def test_it_shows_new_and_forwarded_tickets_on_each_worklist_without_a_reload(
    live_servers: Any,
) -> None:
    call_command("demo_setup", stdout=StringIO())
    (server,) = live_servers(1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            dispatcher = _signed_in(browser, server.url, "dispatcher", "ar-OM", "/dispatch/")
            section = _signed_in(browser, server.url, "section", "en-GB", "/section/")
            partner = _signed_in(browser, server.url, "partner", "ar-OM", "/partner/")

            first = off_the_loop(_registered, "حفرة في الطريق", in_section_of="section")
            expect(dispatcher.locator("#waiting")).to_contain_text(first.reference)
            # Right to left: the arrow from category to section points left.
            expect(dispatcher.locator("#waiting header").first).to_contain_text("←")
            expect(section.locator("#worklist")).not_to_contain_text(first.reference)

            off_the_loop(_dispatched, first)
            expect(section.locator("#worklist")).to_contain_text(first.reference)
            expect(dispatcher.locator("#waiting")).not_to_contain_text(first.reference)

            second = off_the_loop(_registered, "تسرب مياه", in_section_of="section")
            expect(dispatcher.locator("#waiting")).to_contain_text(second.reference)
            off_the_loop(_to_partner, second)
            expect(partner.locator("#worklist")).to_contain_text(second.reference)
            # The partner sees only what was forwarded to it.
            expect(partner.locator("#worklist")).not_to_contain_text(first.reference)
            assert re.search(r"MCT-\d{4}-\d{6}", partner.locator("#worklist").inner_text())
        finally:
            browser.close()
