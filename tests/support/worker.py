"""The durable worker (``manage.py worker``) run in the test's own process, once."""

from __future__ import annotations

from django.core.management import call_command


def worker_drain(*queues: str) -> None:
    """Run every task that is ready on these queues, then return (``--batch``)."""
    call_command(
        "worker",
        queue_name=",".join(queues),
        batch=True,
        reload=False,
        startup_delay=False,
        interval=0,
        verbosity=0,
    )
