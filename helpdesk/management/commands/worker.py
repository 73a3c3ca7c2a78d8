"""The worker process: django-tasks-db's ``db_worker`` with Nidaa's defaults.

Every queue (``default``, ``notifications``, ``social``), no autoreload. Run one or
more; they share the queue safely. The library's stop contract is the one the web
and scheduler processes copy: the first SIGTERM or Ctrl-C finishes the running
task and exits 0, a second one exits 1 at once.
"""

from __future__ import annotations

from argparse import ArgumentParser

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background tasks (notifications, social inbox and replies, partner "
        "callbacks) from every queue. SIGTERM or Ctrl-C finishes the current task, exits 0."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)
