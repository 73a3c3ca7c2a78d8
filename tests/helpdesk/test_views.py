from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from demo.management.commands.demo_setup import DEMO_PASSWORD, DEMO_USERS


@pytest.fixture
def demo(db: None) -> None:
    call_command("demo_setup", stdout=StringIO())


@pytest.mark.parametrize("username", [u["username"] for u in DEMO_USERS])
def test_each_demo_user_signs_in_and_lands_on_their_page(demo: None, username: str) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    assert "/accounts/login/" not in response.wsgi_request.path


def test_it_redirects_anonymous_staff_pages_to_login(db: None) -> None:
    response = Client().get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_login_page_is_right_to_left_in_arabic(db: None) -> None:
    response = Client(headers={"accept-language": "ar"}).get("/accounts/login/")
    assert 'dir="rtl"' in response.content.decode()
    assert 'lang="ar"' in response.content.decode()


def test_the_login_page_is_left_to_right_in_english(db: None) -> None:
    response = Client(headers={"accept-language": "en"}).get("/accounts/login/")
    assert 'dir="ltr"' in response.content.decode()


def test_the_language_switch_needs_csrf(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403


def test_the_demo_home_page_links_the_report_form_and_the_status_page(db: None) -> None:
    page = Client(headers={"accept-language": "ar"}).get("/").content.decode()
    assert 'href="/report/"' in page
    assert 'href="/status/"' in page
