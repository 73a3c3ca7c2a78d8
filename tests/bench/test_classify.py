"""``make bench-classify`` runs end to end and prints its figures (none are asserted here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_prints_the_holdout_figures_and_the_time_per_text() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.classify", "--rounds", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "holdout 164 texts: top-1" in completed.stdout
    assert "category_suggestions   median" in completed.stdout
