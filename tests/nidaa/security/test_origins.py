"""Finding 2: staff sockets accept only the staff origins, exactly (scheme, host, port);
the widget's embedding sites are a separate list, for the citizen's socket only."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async

from helpdesk.origins import normalise
from tests.nidaa.security.helpers import SITE, opened, staff_socket
from tests.support.factories import make_agent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def agent() -> Any:
    return await sync_to_async(make_agent)()


async def _opens(agent: Any, **kwargs: Any) -> bool:
    communicator = await staff_socket(agent, **kwargs)
    try:
        return await opened(communicator)
    finally:
        await communicator.disconnect()


async def test_finding_02_agent_socket_refuses_a_page_on_another_port_of_the_same_host(
    agent: Any,
) -> None:
    assert await _opens(agent, origin=SITE)
    assert not await _opens(agent, origin="http://127.0.0.1:9999")


async def test_finding_02_agent_socket_refuses_another_scheme_of_the_same_host(
    agent: Any,
) -> None:
    assert not await _opens(agent, origin="https://127.0.0.1:8000")


async def test_finding_02_agent_socket_refuses_a_handshake_without_origin(agent: Any) -> None:
    assert not await _opens(agent, origin=None)


async def test_finding_02_agent_socket_refuses_the_widgets_embedding_sites(
    agent: Any, settings: Any
) -> None:
    settings.WIDGET_ORIGINS = ["https://www.mm.gov.om"]
    assert not await _opens(agent, origin="https://www.mm.gov.om", host="nidaa.mm.gov.om")
    citizen = await staff_socket(origin="https://www.mm.gov.om", path="/ws/chat/")
    assert await opened(citizen)
    await citizen.disconnect()


async def test_finding_02_staff_origins_when_set_are_the_only_ones(
    agent: Any, settings: Any
) -> None:
    settings.STAFF_ORIGINS = ["https://console.mm.gov.om"]
    assert await _opens(agent, origin="https://console.mm.gov.om", host="127.0.0.1:8000")
    assert not await _opens(agent, origin=SITE)
    assert not await _opens(agent, origin="https://console.mm.gov.om:8443")


async def test_finding_02_agent_socket_accepts_the_page_it_was_served_from(agent: Any) -> None:
    # Same origin as the request (as Django's CSRF check): the Host it was addressed to.
    assert await _opens(agent, origin="http://localhost:8123", host="localhost:8123")
    assert not await _opens(agent, origin="http://localhost:8123", host="evil.example:8123")


async def test_finding_02_chat_socket_accepts_a_mobile_app_without_origin() -> None:
    citizen = await staff_socket(origin=None, path="/ws/chat/")
    assert await opened(citizen)
    await citizen.disconnect()


async def test_finding_02_chat_socket_refuses_a_foreign_page() -> None:
    citizen = await staff_socket(origin="http://127.0.0.1:9999", path="/ws/chat/")
    assert not await opened(citizen)
    await citizen.disconnect()


def test_finding_02_origins_compare_scheme_host_and_port() -> None:
    assert normalise("HTTPS://Nidaa.Example:443") == "https://nidaa.example"
    assert normalise("http://nidaa.example:8080/") == "http://nidaa.example:8080"
    assert normalise("null") is None
    assert normalise("https://nidaa.example/path") is None
