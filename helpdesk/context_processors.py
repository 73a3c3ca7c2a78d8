from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from helpdesk.roles import role_of


def nidaa(request: HttpRequest) -> dict[str, Any]:
    return {"nidaa_role": role_of(getattr(request, "user", None))}
