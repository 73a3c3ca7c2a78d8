"""Load the demo knowledge base and switch the assistant on for its channels."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bots.services import channel_settings_ensure, knowledge_seed_load


class Command(BaseCommand):
    help = "Load (or refresh) the assistant's demo articles and channel settings."

    def handle(self, *args: Any, **options: Any) -> None:
        count = knowledge_seed_load()
        channel_settings_ensure()
        self.stdout.write(self.style.SUCCESS(f"Assistant ready: {count} knowledge-base articles."))
