"""The demo's e-mail backend: every message on the console and as a file in the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndOutboxBackend(ConsoleBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outbox = settings.NIDAA_OUTBOX_DIR / "mail"
        outbox.mkdir(parents=True, exist_ok=True)
        self.files = FileBackend(file_path=str(outbox), fail_silently=self.fail_silently)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.files.send_messages(email_messages)
        return super().send_messages(email_messages)
