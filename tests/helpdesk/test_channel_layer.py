"""The embedded default's channel layer keeps Channels' in-memory semantics."""

from __future__ import annotations

import asyncio

import pytest
from channels.exceptions import ChannelFull

from helpdesk.channel_layer import LocalChannelLayer


async def test_a_group_message_reaches_every_member_once() -> None:
    layer = LocalChannelLayer(capacity=10)
    first, second = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room", first)
    await layer.group_add("room", second)
    await layer.group_send("room", {"type": "hello", "n": 1})
    assert await layer.receive(first) == {"type": "hello", "n": 1}
    assert await layer.receive(second) == {"type": "hello", "n": 1}
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(first), 0.1)


async def test_the_sender_s_later_changes_never_reach_the_members() -> None:
    layer = LocalChannelLayer()
    channel = await layer.new_channel()
    await layer.group_add("room", channel)
    message = {"type": "hello", "payload": {"text": "before"}}
    await layer.group_send("room", message)
    message["payload"]["text"] = "after"
    assert (await layer.receive(channel))["payload"]["text"] == "before"


async def test_a_full_channel_drops_the_group_message_but_not_the_others() -> None:
    layer = LocalChannelLayer(capacity=1)
    full, free = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room", full)
    await layer.send(full, {"type": "first"})
    await layer.group_add("room", free)
    await layer.group_send("room", {"type": "second"})
    assert await layer.receive(full) == {"type": "first"}
    assert await layer.receive(free) == {"type": "second"}
    await layer.send(free, {"type": "a"})
    with pytest.raises(ChannelFull):
        await layer.send(free, {"type": "b"})


async def test_expired_messages_and_their_channels_leave_the_groups() -> None:
    layer = LocalChannelLayer(expiry=0)
    stale, fresh = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room", stale)
    await layer.send(stale, {"type": "old"})
    await asyncio.sleep(0.01)
    layer._cleaned_at = 0.0  # the next event runs the (rate-limited) clean-up
    await layer.group_add("room", fresh)
    await layer.group_send("room", {"type": "new"})
    assert stale not in layer.groups["room"]
