"""The outbox's layers call one way: the services decide and write rows, ``helpdesk.notify``
delivers them (tasks → delivery → transports) and calls only further down, into the
conversation service and the models — never back into the services that decide, and
never through an import hidden in a function to dodge a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import helpdesk

DELIVERY_MODULES = ("tasks", "delivery", "transports", "rendering", "segments", "defaults")
# What decides who is told what, and the edges above it: the delivery layers never import them.
ABOVE_DELIVERY = (
    "helpdesk.services.notifications",
    "helpdesk.services.sms",
    "helpdesk.notify.channel",
    "helpdesk.notify.views",
    "helpdesk.notify.admin",
)


def _imports(module: str) -> list[tuple[str, bool]]:
    """(imported module, whether the import is at the top level) for each import."""
    tree = ast.parse((Path(helpdesk.__file__).parent / "notify" / f"{module}.py").read_text())
    top = set(tree.body)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(f"{node.module}.{alias.name}", node in top) for alias in node.names]
            found.append((node.module, node in top))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node in top) for alias in node.names]
    return found


@pytest.mark.parametrize("module", DELIVERY_MODULES)
def test_it_never_imports_inside_a_function(module: str) -> None:
    assert [name for name, at_top in _imports(module) if not at_top] == []


@pytest.mark.parametrize("module", DELIVERY_MODULES)
def test_it_never_calls_back_up_into_the_deciding_services(module: str) -> None:
    upward = [
        name
        for name, _top in _imports(module)
        if any(name == up or name.startswith(f"{up}.") for up in ABOVE_DELIVERY)
    ]
    assert upward == []
