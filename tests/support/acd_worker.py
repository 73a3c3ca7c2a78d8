"""A separate OS process for the distributor's concurrency test (not a test module).

``arrive START COUNT``: open COUNT conversations (arriving at once with the other
process), each distributed after commit exactly as a web process would.
``close``: close served conversations as fast as possible until the queue is
empty; every close frees a slot and distributes again.
Both modes wait for the ``go`` file so that the two processes start together.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaa.settings")
django.setup()

from django.db import transaction  # noqa: E402

from helpdesk.errors import DomainError  # noqa: E402
from helpdesk.models import Contact, Conversation, Skill  # noqa: E402
from helpdesk.services.conversations import conversation_open, conversation_to_queue  # noqa: E402
from helpdesk.services.distributor import conversation_end, distribute  # noqa: E402

PRIORITIES = [1, 1, 2, 3, 1, 0, 2]


def spec(index: int) -> dict[str, object]:
    return {
        "priority": PRIORITIES[index % len(PRIORITIES)],
        "language": "en" if index % 4 == 0 else "ar",
        "tourism": index % 5 == 3,
    }


def arrive(start: int, count: int) -> None:
    tourism = Skill.objects.get(code="tourism")
    for index in range(start, start + count):
        wanted = spec(index)
        with transaction.atomic():
            contact = Contact.objects.create(name=f"citizen {index}")
            conversation = conversation_open(
                channel="webchat", contact=contact, language=str(wanted["language"])
            )
            Conversation.objects.filter(pk=conversation.pk).update(
                priority=wanted["priority"],
                required_skill=tourism if wanted["tourism"] else None,
                meta={"index": index},
            )
            if conversation.state == "bot":
                conversation_to_queue(conversation, reason="test")
    distribute()


def close_all(deadline: float) -> None:
    while time.monotonic() < deadline:
        open_ones = Conversation.objects.filter(state__in=["queued", "offered", "assigned"])
        if not open_ones.exists():
            return
        served = list(
            Conversation.objects.filter(state="assigned")
            .order_by("?")
            .values_list("public_id", "assignee_id")[:3]
        )
        if not served:
            distribute()
            time.sleep(0.01)
            continue
        for public_id, assignee_id in served:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.get(pk=assignee_id)
            try:
                conversation_end(
                    conversation=str(public_id), by="agent", user=user, disposition="answered"
                )
            except DomainError:
                pass  # the other process closed it first
    sys.exit("queue not empty before the deadline")


def main() -> None:
    mode, go = sys.argv[1], Path(sys.argv[2])
    Path(f"{go}.ready.{os.getpid()}").touch()
    while not go.exists():
        time.sleep(0.005)
    if mode == "arrive":
        arrive(int(sys.argv[3]), int(sys.argv[4]))
    else:
        close_all(time.monotonic() + 120)


if __name__ == "__main__":
    main()
