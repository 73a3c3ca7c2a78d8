"""Answer an access request: ``privacy_export --contact <phone|e-mail|id> --out FILE.zip``."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpdesk.errors import DomainError
from helpdesk.models import AccessVia
from helpdesk.privacy.erase import contact_find
from helpdesk.privacy.export import contact_export
from helpdesk.roles import SYSTEM


class Command(BaseCommand):
    help = "Write everything held about one citizen to a zip (JSON, a readable page, files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contact", required=True, help="Mobile number, e-mail or contact id.")
        parser.add_argument("--out", required=True, type=Path, help="The zip file to write.")
        parser.add_argument(
            "--by", default="", help="Who answers the request (access log; default: OS user)."
        )

    def handle(self, *args: Any, contact: str, out: Path, by: str, **options: Any) -> None:
        try:
            found = contact_find(contact)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        archive = contact_export(
            contact=found,
            actor=SYSTEM,
            via=AccessVia.COMMAND,
            purpose="privacy_export",
            operator=by or getpass.getuser(),
        )
        out.write_bytes(archive)
        self.stdout.write(f"contact #{found.pk}: {len(archive)} bytes written to {out}")
