"""One menu per role, the same on every staff page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

MENUS = {
    "agent": ["console", "ticket_new", "ticket_list", "workspace"],
    "dispatcher": ["dispatcher", "ticket_new", "ticket_list", "workspace"],
    "section": ["section_workspace", "ticket_list", "workspace"],
    "partner": ["partner_workspace", "ticket_list", "workspace"],
    "supervisor": ["supervisor", "reports", "console", "dispatcher", "ticket_list", "workspace"],
}
NOT_IN_MENU = {
    "agent": ["supervisor", "reports", "dispatcher"],
    "section": ["console", "dispatcher", "ticket_new"],
    "partner": ["console", "dispatcher", "section_workspace", "ticket_new"],
}


@pytest.fixture
def demo() -> None:
    call_command("demo_setup", stdout=StringIO())


@pytest.mark.parametrize("username", sorted(MENUS))
def test_it_shows_the_roles_menu_on_each_of_its_pages(demo: None, username: str) -> None:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    for page in [*MENUS[username], "ticket_list"]:
        html = client.get(reverse(page)).content.decode()
        nav = html[html.index('class="topnav"') : html.index("</nav>")]
        for link in MENUS[username]:
            assert f'href="{reverse(link)}"' in nav, (username, page, link)
        for link in NOT_IN_MENU.get(username, []):
            assert f'href="{reverse(link)}"' not in nav, (username, page, link)
