"""Read e-mails sent to the center and turn them into conversations and tickets.

    manage.py email_ingest --maildir /var/mail/nidaa
    manage.py email_ingest --mbox complaints.mbox
    manage.py email_ingest < message.eml

Safe to run again on the same mailbox: messages are known by their Message-ID.
"""

from __future__ import annotations

import mailbox
import sys
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpdesk.errors import DomainError
from helpdesk.services.intake import email_message_ingest


class Command(BaseCommand):
    help = "Ingest RFC 822 e-mails (maildir, mbox or one message on stdin) as tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--maildir", help="a Maildir folder")
        source.add_argument("--mbox", help="an mbox file")

    def _messages(self, options: dict[str, Any]) -> Iterator[bytes]:
        box: mailbox.Mailbox[Any] | None = None
        if options.get("maildir"):
            box = mailbox.Maildir(options["maildir"], factory=None, create=False)
        elif options.get("mbox"):
            box = mailbox.mbox(options["mbox"], factory=None, create=False)
        if box is None:
            yield sys.stdin.buffer.read()
            return
        for key in box.iterkeys():
            yield box.get_bytes(key)

    def handle(self, *args: Any, **options: Any) -> None:
        created = skipped = failed = 0
        try:
            messages = list(self._messages(options))
        except (OSError, mailbox.Error) as exc:
            raise CommandError(f"cannot read the mailbox: {exc}") from exc
        for raw in messages:
            try:
                result = email_message_ingest(raw)
            except DomainError as exc:
                failed += 1
                self.stderr.write(f"refused a message: {exc.message}")
                continue
            if result.created:
                created += 1
                reference = result.ticket.reference if result.ticket else "-"
                self.stdout.write(f"{result.message_id} → {reference}")
            else:
                skipped += 1
        self.stdout.write(f"created {created}, already known {skipped}, refused {failed}")
