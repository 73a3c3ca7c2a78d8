"""Finding 11: the unmaintained and deprecated libraries stay behind one module each,
so they can be replaced there, and `make audit` exists and is wired into CI."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OWN_CODE = ("helpdesk", "chat", "social", "bots")
ADAPTERS = {
    "facebook": {Path("social/adapters/facebook.py")},  # facebook-sdk, no release since 2018
    "bleach": {Path("helpdesk/text.py")},  # deprecated
}


def _importers(module: str) -> set[Path]:
    pattern = re.compile(rf"^\s*(?:import {module}\b|from {module}(?:\.\w+)* import)", re.M)
    return {
        path.relative_to(ROOT)
        for package in OWN_CODE
        for path in (ROOT / package).rglob("*.py")
        if pattern.search(path.read_text())
    }


def test_finding_11_facebook_sdk_and_bleach_are_behind_one_module_each() -> None:
    for module, allowed in ADAPTERS.items():
        assert _importers(module) == allowed, module


def test_finding_11_make_audit_runs_pip_audit_in_ci() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^audit:.*\n\t.*\.ci/audit", makefile, re.M)
    assert "pip-audit" in (ROOT / ".ci" / "audit").read_text()
    assert "make audit" in (ROOT / ".ci" / "run").read_text()
