"""The ticket-intake scenario: Nidaa's report form filed at a rate, beside django-helpdesk.

No speed is asserted; what is checked is that every report posted is taken,
that memory is read, and that a peer which cannot be installed is named as
skipped, with the reason, instead of failing the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench import peer_helpdesk
from bench.report import summary
from tests.bench.helpers import run_bench


def test_it_files_every_report_and_reads_the_memory_around_them(tmp_path: Path) -> None:
    results = run_bench("--targets", "nidaa", "--scenarios", "intake", out=tmp_path)
    intake = results["targets"]["nidaa"]["intake"]
    assert [step["rate"] for step in intake["steps"]] == [20, 40]
    for step in intake["steps"]:
        assert step["sent"] > 0
        assert step["taken"] == step["sent"]
        assert step["errors"] == {}
    assert intake["rss_before_kb"] > 0
    assert intake["rss_after_kb"] > 0


def test_it_says_why_when_the_peer_cannot_be_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(peer_helpdesk, "HOME", tmp_path / "peer")
    # pip without any index or local wheels: as on a machine without network
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path))
    problem = peer_helpdesk.peer_problem()
    assert problem is not None
    assert "could not install django-helpdesk==2.6.1" in problem
    assert not (peer_helpdesk.venv_dir() / ".installed").exists()


def _results(*, peer: dict | None, skipped: dict[str, str]) -> dict:
    def target(label: str, p99_at_40: float) -> dict:
        steps = [
            {
                "rate": rate,
                "sent": 10,
                "taken": 10,
                "latency": {"p50_ms": 5.0, "p99_ms": p99, "max_ms": p99},
                "errors": {},
                "late_posts": 0,
                "server_cpu_percent": 10.0,
            }
            for rate, p99 in ((20, 10.0), (40, p99_at_40))
        ]
        intake = {
            "steps": steps,
            "reports": 1000,
            "rss_before_kb": 100 * 1024,
            "rss_after_kb": 102 * 1024,
            "kb_per_report": 2.0,
        }
        return {"label": label, "baseline": False, "intake": intake}

    targets = {"nidaa": target("Nidaa", 30.0)}
    if peer is not None:
        targets["helpdesk_peer"] = target("django-helpdesk", peer["p99"])
    return {
        "date": "2026-11-30T00:00:00",
        "profile": "full",
        "seconds": 1,
        "machine": {
            "cpus": 2,
            "python": "3",
            "kernel": "k",
            "fd_limit": 1,
            "load_generator_processes": 2,
        },
        "targets": targets,
        "skipped": skipped,
    }


def test_it_sets_nidaas_p99_beside_the_peers_in_the_targets() -> None:
    text = summary(_results(peer={"p99": 60.0}, skipped={}), [])
    assert "## Ticket intake: Nidaa's portal form beside django-helpdesk" in text
    assert "| 30.0 ms vs 60.0 ms | met |" in text
    assert "0.50×" in text


def test_it_names_the_skipped_peer_and_measures_no_ratio_without_it() -> None:
    reason = "could not install django-helpdesk==2.6.1 from PyPI (no network?)"
    text = summary(_results(peer=None, skipped={"helpdesk_peer": reason}), [])
    assert f"**django-helpdesk skipped**: {reason}" in text
    assert f"not measured: {reason}" in text
