"""Running ``python -m bench`` from a test, as ``make bench`` does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_bench(*args: str, out: Path) -> dict[str, Any]:
    """A quick run with ``args``, outside the test settings; its results (a report is written)."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", *args, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env={
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
        },
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    (result,) = out.glob("*.json")
    assert (out / result.name.replace(".json", ".md")).exists()
    results: dict[str, Any] = json.loads(result.read_text())
    return results
