"""Issue an API token to a partner agency's user (printed once, stored as a hash).

manage.py partner_token haya-api --name "Haya Water CRM"
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpdesk.errors import DomainError
from helpdesk.services.api_tokens import partner_token_issue


class Command(BaseCommand):
    help = "Issue a bearer token for the REST API to a partner user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        try:
            token, raw = partner_token_issue(user=user, name=options["name"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        partner = token.user.profile.partner
        if partner is not None and not partner.api_enabled:
            self.stderr.write(f"note: API access is off for {partner.code}; enable it in the admin")
        self.stdout.write(raw)
