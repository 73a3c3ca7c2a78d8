"""Dispatcher, section and partner worklists update without a reload, each in its scope."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from typing import Any, TypeVar

import pytest
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Page, expect, sync_playwright

from helpdesk.management.commands.demo_setup import DEMO_PASSWORD
from helpdesk.models import Category, Partner, Ticket
from helpdesk.roles import actor_for
from helpdesk.services.contacts import contact_create
from helpdesk.services.tickets import ticket_create, ticket_dispatch, ticket_forward_to_partner
from tests.conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
T = TypeVar("T")


@pytest.fixture(autouse=True)
def _hashers_the_live_server_knows(settings: Any) -> None:
    # The live server checks demo passwords with the project's hashers, not the fast
    # one this folder's conftest sets for in-process tests.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


def off_the_loop(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Django code beside Playwright's sync API (which keeps an event loop in this thread)."""

    def run() -> T:
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def _signed_in(browser: Any, url: str, username: str, locale: str, path: str) -> Page:
    page: Page = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale=locale
    ).new_page()
    page.goto(f"{url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("button.primary[type=submit]").click()
    page.wait_for_url(lambda address: "/accounts/login/" not in address)
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
