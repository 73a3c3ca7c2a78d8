"""``make bench ARGS=--quick`` runs end to end and loses nothing.

No speed is asserted (it depends on the machine); what is checked is that the
load generator, the baselines and Nidaa's embedded deployment run together and
that every chat message arrived once and in order.
"""

from __future__ import annotations

import pytest

from tests.bench.helpers import run_bench


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench")
    return run_bench(
        "--targets", "ws,nidaa", "--scenarios", "idle,chat", "--connections", "40", out=out
    )


def test_it_measures_every_target_in_the_same_run(quick_results: dict) -> None:
    assert set(quick_results["targets"]) == {"ws", "nidaa"}
    for target in quick_results["targets"].values():
        assert "errors" not in target
        assert target["chat"]["steps"]


def test_it_loses_duplicates_and_reorders_no_chat_message(quick_results: dict) -> None:
    for name, target in quick_results["targets"].items():
        for step in target["chat"]["steps"]:
            assert step["sent"] > 0, name
            assert step["received"] == step["sent"], name
            assert (step["lost"], step["duplicated"], step["out_of_order"]) == (0, 0, 0), name


def test_it_holds_and_reconnects_every_idle_connection(quick_results: dict) -> None:
    for name, target in quick_results["targets"].items():
        assert target["idle"]["held"] == target["idle"]["target_connections"], name
        assert target["reconnect"]["back"] == target["reconnect"]["connections"], name
