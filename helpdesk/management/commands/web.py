"""The web process: Daphne serving ``settings.ASGI_APPLICATION`` (HTTP and WebSockets).

Listens on ``--host:--port`` with a deep accept queue (``--backlog``): after a
restart thousands of consoles and widgets reconnect at once, and Twisted's
default of 50 leaves them waiting for SYN retries (docs/deployment.md). Never
believes forwarded headers itself: the application reads them from the
addresses in ``NIDAA_TRUSTED_PROXIES`` only (helpdesk/proxies.py). Run one per
CPU core behind nginx. The first SIGTERM or Ctrl-C stops listening, closes the
open sockets and exits 0; a second one exits 1 at once.
"""

from __future__ import annotations

import sys
from typing import Any

# Daphne installs Twisted's asyncio reactor when imported: before anything imports another.
from daphne.server import Server  # isort: skip

from channels.routing import get_default_application
from daphne.access import AccessLogGenerator
from django.core.management.base import BaseCommand, CommandParser
from twisted.internet import reactor

from helpdesk.processes import stop_on_signals

DEFAULT_PORT = 8000
LISTEN_BACKLOG = 4096


class Command(BaseCommand):
    help = (
        "Serve HTTP and WebSockets with Daphne on HOST:PORT (-v 0: no access log). "
        "SIGTERM or Ctrl-C closes the sockets and exits 0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument(
            "--port", type=int, default=DEFAULT_PORT, help="port to listen on, 0: any free one"
        )
        parser.add_argument(
            "--backlog", type=int, default=LISTEN_BACKLOG, help="the listen queue's length"
        )
        parser.add_argument(
            "--ping-interval",
            type=int,
            default=20,
            help="seconds a WebSocket may be silent before Daphne pings it",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        backlog: int,
        ping_interval: int,
        verbosity: int,
        **options: Any,
    ) -> None:
        endpoint = f"tcp:port={port}:interface={host}:backlog={backlog}"
        server = Server(
            application=get_default_application(),
            endpoints=[endpoint],
            # Our own handlers, so the three processes share one stop contract.
            signal_handlers=False,
            action_logger=AccessLogGenerator(sys.stdout) if verbosity >= 1 else None,
            ping_interval=ping_interval,
            verbosity=verbosity,
        )
        stop_on_signals(lambda: reactor.callFromThread(server.stop), process="web")
        server.run()
