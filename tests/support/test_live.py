"""The live-server fixture itself: start, crash, restart."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest

pytestmark = pytest.mark.postgres


def test_it_serves_from_a_real_daphne_process_and_survives_a_restart(live_servers: Any) -> None:
    (server,) = live_servers(1)
    port = server.port
    assert urllib.request.urlopen(f"{server.url}/healthz").status == 200
    server.kill()
    assert not server.running
    server.restart()
    assert server.port == port
    assert urllib.request.urlopen(f"{server.url}/healthz").status == 200
