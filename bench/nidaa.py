"""Nidaa endpoints: the widget and the agent console, speaking ``docs/protocol.md``."""

from __future__ import annotations

from typing import Any


def nidaa_targets(target_class: Any) -> list[Any]:
    return []
