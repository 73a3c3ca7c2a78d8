"""Inject a mention, a DM, a Messenger message or a comment as the platform would send it.

The payload is the platform's JSON and goes through the same inbox journal,
the same parser and the same ``conversation_receive`` as a real one, so the
demo shows the real flow without real accounts.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from social.inbox import inbox_poll_record, inbox_store
from social.journal import inbox_delivery_process
from social.models import FacebookPage, InboxEventStatus, InboxSource, XAccount

DEMO_X_HANDLE = "nidaa_demo"
DEMO_X_USER_ID = "1000000001"
DEMO_PAGE_ID = "100000000000001"


class Command(BaseCommand):
    help = "Simulate an incoming X mention or DM, Messenger message or Facebook comment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["mention", "dm", "messenger", "comment"])
        parser.add_argument("--text", default="يوجد حفرة كبيرة في شارع السلطان قابوس قرب الخوير")
        parser.add_argument("--user-id", default="2000000001", help="The citizen's platform id.")
        parser.add_argument("--name", default="سعيد البلوشي")
        parser.add_argument("--handle", default="said_om")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = str(int(time.time() * 1000))
        kind = options["kind"]
        if kind in ("mention", "dm"):
            account = self._x_account()
            user = {
                "id": options["user_id"],
                "username": options["handle"],
                "name": options["name"],
            }
            if kind == "mention":
                item = {
                    "id": stamp,
                    "conversation_id": stamp,
                    "author_id": options["user_id"],
                    "text": f"@{account.handle} {options['text']}",
                }
            else:
                item = {
                    "id": stamp,
                    "event_type": "MessageCreate",
                    "text": options["text"],
                    "sender_id": options["user_id"],
                    "dm_conversation_id": f"{account.user_id}-{options['user_id']}",
                }
            delivery = inbox_poll_record(
                source=InboxSource.X_MENTIONS if kind == "mention" else InboxSource.X_DMS,
                account_id=account.user_id,
                pages=[{"data": [item], "includes": {"users": [user]}}],
            )
        else:
            payload = self._facebook_payload(kind, self._page().page_id, stamp, options)
            delivery = inbox_store(
                source=InboxSource.FACEBOOK,
                body=json.dumps(payload, ensure_ascii=False).encode(),
                enqueue=False,
            )
        outcomes = inbox_delivery_process(delivery_id=delivery.pk)
        created = outcomes.get(InboxEventStatus.STORED, 0)
        self.stdout.write(self.style.SUCCESS(f"{kind}: {created} new message(s) in the queue"))

    def _x_account(self) -> XAccount:
        account = XAccount.objects.exclude(user_id="").order_by("-is_active", "pk").first()
        if account is None:
            # Inactive: the listener must not try to poll an account that has no tokens.
            account, _ = XAccount.objects.get_or_create(
                handle=DEMO_X_HANDLE, defaults={"user_id": DEMO_X_USER_ID, "is_active": False}
            )
            self.stdout.write(f"using the demo X account @{account.handle}")
        return account

    def _page(self) -> FacebookPage:
        page = FacebookPage.objects.filter(is_active=True).first()
        if page is None:
            page, _ = FacebookPage.objects.get_or_create(
                page_id=DEMO_PAGE_ID, defaults={"name": "Nidaa demo page"}
            )
            self.stdout.write(f"using the demo Facebook page {page.page_id}")
        return page

    @staticmethod
    def _facebook_payload(
        kind: str, page_id: str, stamp: str, options: dict[str, Any]
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": page_id, "time": int(stamp)}
        if kind == "messenger":
            entry["messaging"] = [
                {
                    "sender": {"id": options["user_id"]},
                    "recipient": {"id": page_id},
                    "timestamp": int(stamp),
                    "message": {"mid": f"m_sim{stamp}", "text": options["text"]},
                }
            ]
        else:
            entry["changes"] = [
                {
                    "field": "feed",
                    "value": {
                        "item": "comment",
                        "verb": "add",
                        "comment_id": f"{page_id}_1_{stamp}",
                        "post_id": f"{page_id}_1",
                        "from": {"id": options["user_id"], "name": options["name"]},
                        "message": options["text"],
                        "created_time": int(stamp) // 1000,
                    },
                }
            ]
        return {"object": "page", "entry": [entry]}
