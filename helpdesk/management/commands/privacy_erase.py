"""Answer an erasure request: ``privacy_erase --contact … --reason "…" [--yes]``."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpdesk.errors import DomainError
from helpdesk.privacy.erase import contact_erase, contact_find, erasure_scope
from helpdesk.roles import SYSTEM


class Command(BaseCommand):
    help = (
        "Replace a citizen's personal data with placeholders (tickets, references, categories, "
        "dates, channels and ratings stay). Asks for confirmation unless --yes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contact", required=True, help="Mobile number, e-mail or contact id.")
        parser.add_argument(
            "--reason", required=True, help="Why (kept with the record; no personal data)."
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument("--by", default="", help="Who erases (default: OS user).")

    def handle(
        self, *args: Any, contact: str, reason: str, yes: bool, by: str, **options: Any
    ) -> None:
        try:
            found = contact_find(contact)
            if not yes:
                scope = erasure_scope(found)
                self.stdout.write(
                    f"contact #{found.pk}: {len(scope.tickets)} ticket(s), "
                    f"{len(scope.conversations)} conversation(s), {len(scope.messages)} message(s)"
                )
                if input(
                    "Erase this citizen's personal data for good? [y/N] "
                ).strip().lower() not in (
                    "y",
                    "yes",
                ):
                    raise CommandError("Nothing erased.")
            erasure = contact_erase(
                contact=found, actor=SYSTEM, reason=reason, operator=by or getpass.getuser()
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        counts = ", ".join(f"{key} {value}" for key, value in erasure.counts.items())
        self.stdout.write(f"contact #{found.pk} erased (record #{erasure.pk}): {counts}")
