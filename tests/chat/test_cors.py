"""CORS on /chat/api/…: the municipality's site embeds the widget, other sites do not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.support.chat import agent_on_duty, open_around_the_clock
from tests.support.factories import make_org

pytestmark = pytest.mark.django_db

SITE = "https://www.mm.gov.om"


@pytest.fixture(autouse=True)
def embedding_site(settings: Any) -> None:
    settings.WIDGET_ORIGINS = [SITE]
    open_around_the_clock(fallback=make_org().pothole)
    agent_on_duty()


def test_it_lets_a_listed_site_read_the_answer() -> None:
    response = Client().get("/chat/api/status", HTTP_ORIGIN=SITE)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SITE
    assert "Access-Control-Allow-Credentials" not in response


def test_it_answers_the_preflight_of_a_listed_site() -> None:
    response = Client().options(
        "/chat/api/session",
        HTTP_ORIGIN=SITE,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == SITE
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "Content-Type" in response["Access-Control-Allow-Headers"]


def test_it_refuses_the_preflight_of_another_site_in_its_language() -> None:
    response = Client().options(
        "/chat/api/session",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert response.json()["error"]["code"] == "origin_not_allowed"
    assert response.json()["error"]["message"] == "لا يُسمح لهذا الموقع بتضمين المحادثة."


def test_it_gives_another_site_no_permission_to_read() -> None:
    response = Client().get("/chat/api/status", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
    assert "Origin" in response["Vary"]


def test_it_serves_its_own_pages_without_a_list_entry() -> None:
    response = Client().get("/chat/api/status", HTTP_ORIGIN="http://testserver")
    assert response["Access-Control-Allow-Origin"] == "http://testserver"


def test_a_mobile_app_without_an_origin_starts_a_chat() -> None:
    response = Client().post("/chat/api/session", {"name": "Said"}, content_type="application/json")
    assert response.status_code == 201
    assert "Access-Control-Allow-Origin" not in response
