"""Outgoing chat e-mail (transcripts).

One small function so the notifications work can route it through the durable
outbound worker later without touching the chat code that calls it.
"""

from __future__ import annotations

from django.core.mail import send_mail


def transcript_mail_send(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to], fail_silently=False)
