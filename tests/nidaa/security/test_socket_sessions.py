"""Finding 3: a staff socket lives no longer than its session.

Logging out, deactivation, a password change and a role change close the user's
sockets (close 4401, after a ``session.ended`` frame), and a frame sent on a socket
whose session is no longer valid is answered the same way, never served.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from chat.sockets import CLOSE_SESSION_ENDED
from helpdesk.models import Role
from helpdesk.services.staff import staff_user_upsert
from tests.nidaa.security.helpers import staff_socket
from tests.support.factories import make_agent

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def _console(client: Client) -> WebsocketCommunicator:
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    communicator = await staff_socket(cookie=cookie)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "resume", "conversations": {}})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "snapshot"
    return communicator


async def _ended(communicator: WebsocketCommunicator) -> str:
    """The reason of the ``session.ended`` frame, then the 4401 close (other frames skipped)."""
    reason = None
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            await communicator.disconnect()
            assert output["code"] == CLOSE_SESSION_ENDED
            assert reason is not None
            return reason
        frame = json.loads(output["text"])
        if frame["type"] == "session.ended":
            reason = frame["reason"]


@pytest.fixture
async def agent() -> Any:
    return await sync_to_async(make_agent)()


async def test_finding_03_logout_closes_that_sessions_socket(agent: Any) -> None:
    client = await sync_to_async(_signed_in)(agent)
    other = await sync_to_async(_signed_in)(agent)
    console = await _console(client)
    elsewhere = await _console(other)
    await sync_to_async(client.post)("/accounts/logout/")
    assert await _ended(console) == "logged_out"
    # The same agent's other sign-in (another browser) is untouched (it hears that the
    # logout took the agent off duty, then answers as before).
    await elsewhere.send_json_to({"type": "heartbeat"})
    frames = [await elsewhere.receive_json_from(timeout=5)]
    while frames[-1]["type"] != "heartbeat":
        assert frames[-1]["type"] in ("presence.changed", "queue", "desk"), frames
        frames.append(await elsewhere.receive_json_from(timeout=5))
    await elsewhere.disconnect()


async def test_finding_03_deactivation_closes_the_users_sockets(agent: Any) -> None:
    console = await _console(await sync_to_async(_signed_in)(agent))

    def deactivate() -> None:
        agent.is_active = False
        agent.save()

    await sync_to_async(deactivate)()
    assert await _ended(console) == "account_changed"


async def test_finding_03_password_change_closes_the_users_sockets(agent: Any) -> None:
    console = await _console(await sync_to_async(_signed_in)(agent))

    def new_password() -> None:
        agent.set_password("a-new-long-passphrase-2026")
        agent.save()

    await sync_to_async(new_password)()
    assert await _ended(console) == "account_changed"


async def test_finding_03_role_change_closes_the_users_sockets(agent: Any) -> None:
    console = await _console(await sync_to_async(_signed_in)(agent))
    await sync_to_async(staff_user_upsert)(
        username=agent.username, password=None, role=Role.DISPATCHER
    )
    assert await _ended(console) == "account_changed"


async def test_finding_03_a_frame_on_an_ended_session_is_refused_not_served(agent: Any) -> None:
    client = await sync_to_async(_signed_in)(agent)
    console = await _console(client)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Deleted behind the signals' back (an expired session, a cleared table): no event.
    await sync_to_async(SessionStore(session_key=key).delete)()
    await console.send_json_to({"type": "history", "conversation": "x"})
    assert await _ended(console) == "account_changed"


async def test_finding_03_a_frame_after_deactivation_by_a_bulk_update_is_refused(
    agent: Any,
) -> None:
    console = await _console(await sync_to_async(_signed_in)(agent))
    user_model = type(agent)
    await sync_to_async(user_model.objects.filter(pk=agent.pk).update)(is_active=False)
    await console.send_json_to({"type": "resume", "conversations": {}})
    assert await _ended(console) == "account_changed"


async def test_finding_03_logout_closes_the_worklist_socket_too() -> None:
    from tests.support.factories import make_staff

    dispatcher = await sync_to_async(make_staff)(Role.DISPATCHER)
    client = await sync_to_async(_signed_in)(dispatcher)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    worklist = await staff_socket(cookie=cookie, path="/ws/work/")
    connected, _ = await worklist.connect()
    assert connected
    await worklist.send_json_to({"type": "heartbeat"})
    assert (await worklist.receive_json_from(timeout=5))["type"] == "heartbeat"
    await sync_to_async(client.post)("/accounts/logout/")
    assert await _ended(worklist) == "logged_out"


@pytest.mark.django_db
def test_users_loaded_with_deferred_fields_are_read_without_fetching_them(agent: Any) -> None:
    # The watch on passwords and activity reads only what a row loaded: a query with
    # .only() (the reports name agents so) must not fetch the deferred fields, one by one.
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        names = [u.username for u in get_user_model().objects.only("username")]
    assert agent.username in names and len(queries) == 1
