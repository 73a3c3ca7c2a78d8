"""Small helpers for the ticket page and API tests."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from PIL import Image

from helpdesk.models import Role
from tests.support.factories import Org, make_staff


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def png_bytes(size: tuple[int, int] = (40, 30), color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def staff(org: Org) -> dict[str, Any]:
    """One user per role; two sections' staff and two partners' users."""
    return {
        "agent": make_staff(Role.AGENT),
        "dispatcher": make_staff(Role.DISPATCHER),
        "section_a": make_staff(Role.SECTION_STAFF, sections=[org.potholes]),
        "section_b": make_staff(Role.SECTION_STAFF, sections=[org.collection]),
        "partner_haya": make_staff(Role.PARTNER, partner=org.haya),
        "partner_omantel": make_staff(Role.PARTNER, partner=org.omantel),
    }
