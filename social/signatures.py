"""Webhook signatures of the platforms, compared in constant time over the raw bytes."""

from __future__ import annotations

import base64
import hashlib
import hmac


def facebook_signature(body: bytes, app_secret: str) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends: ``sha256=`` + hex HMAC of the body."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def facebook_signature_valid(body: bytes, header: str, app_secret: str) -> bool:
    if not app_secret or not header:
        return False
    return hmac.compare_digest(facebook_signature(body, app_secret).encode(), header.encode())


def x_signature(data: bytes, consumer_secret: str) -> str:
    """X's CRC answer and ``x-twitter-webhooks-signature``: ``sha256=`` + base64 HMAC."""
    digest = hmac.new(consumer_secret.encode(), data, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def x_signature_valid(body: bytes, header: str, consumer_secret: str) -> bool:
    if not consumer_secret or not header:
        return False
    return hmac.compare_digest(x_signature(body, consumer_secret).encode(), header.encode())
