"""Issue an Open311 API key to an outside app (printed once, on the last line; stored as a hash).

manage.py open311_key --name "i-Muscat"

Keys are revoked in the admin (Open311 API keys → "Revoke the selected keys").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpdesk.errors import DomainError
from helpdesk.services.open311 import open311_key_issue


class Command(BaseCommand):
    help = "Issue an API key for Open311 GeoReport v2 (POST Service Request)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="who will use the key")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key, raw = open311_key_issue(name=options["name"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(f"Open311 key {key.prefix}… for {key.name}; it is shown only once:")
        self.stdout.write(raw)
