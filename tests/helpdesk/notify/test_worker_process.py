"""A real worker process (``manage.py worker``) killed in the middle of a send, then restarted.

Black-box: the worker, the scheduler and the set-up run as ``manage.py``
subprocesses against a database of their own (a SQLite file, and a fresh
PostgreSQL database when the suite runs on PostgreSQL); the fake gateway
(in this process, on a real socket) holds the first message without answering
while the worker is killed with SIGKILL. After the scheduler's sweep and a
restart, the message must be delivered — and the gateway must have delivered
it exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from tests.support.processes import manage, worker_start
from tests.support.sms_gateway import FakeSmsGateway, running_gateway

SEED = """
from django.db import transaction
from tests.support.factories import make_org, make_ticket, make_contact
with transaction.atomic():
    org = make_org()
    make_ticket(org, contact=make_contact(phone="+96891234567", language="en"))
"""

REPORT = """
import json
from helpdesk.models import Notification
print(json.dumps(list(Notification.objects.values("status", "attempts", "channel",
    "provider_message_id", "idempotency_key"))))
"""


def _env(database_url: str, tmp_path: Path, gateway: FakeSmsGateway) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test",
        "DEBUG": "0",
        "NIDAA_VAR_DIR": str(tmp_path / "var"),
        "NIDAA_SMS_BACKEND": "http",
        "NIDAA_SMS_URL": gateway.url,
        "NIDAA_SMS_METHOD": "POST",
        "NIDAA_SMS_AUTH": "params",
        "NIDAA_SMS_USERNAME": gateway.username,
        "NIDAA_SMS_PASSWORD": gateway.password,
        "NIDAA_SMS_PARAM_REFERENCE": "ref",
        "NIDAA_SMS_TO_FORMAT": "digits",
        "NIDAA_SMS_SUCCESS_REGEX": "^OK",
        "NIDAA_SMS_MESSAGE_ID_REGEX": r"id=(\w+)",
        "NIDAA_SMS_TIMEOUT": "60",
        "NIDAA_NOTIFY_LEASE_SECONDS": "1",
        "REDIS_URL": "",
    }


def test_it_delivers_exactly_once_when_the_worker_is_killed_mid_send(
    database_url: str, tmp_path: Path
) -> None:
    with running_gateway() as gateway:
        gateway.hold_first_seconds = 60
        env = _env(database_url, tmp_path, gateway)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "shell", "-v", "0", "-c", SEED)

        worker = worker_start(env, "notifications")
        try:
            assert gateway.first_request_seen.wait(60), "the worker never reached the gateway"
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
        [stuck] = json.loads(manage(env, "shell", "-v", "0", "-c", REPORT))
        assert stuck["status"] == "sending"
        assert len(gateway.delivered) == 1  # the gateway took it; we never heard back

        time.sleep(1.5)  # the dead worker's lease (1 s) runs out
        swept = manage(env, "scheduler", "--once", "--job", "service.sweep")
        assert "1 notification(s) re-queued" in swept
        restarted = worker_start(env, "notifications", "--batch")
        output, _ = restarted.communicate(timeout=120)
        assert restarted.returncode == 0, output

        [final] = json.loads(manage(env, "shell", "-v", "0", "-c", REPORT))
        assert final["status"] == "sent"
        assert final["attempts"] == 2
        assert len(gateway.requests) == 2
        assert {r.params["ref"] for r in gateway.requests} == {final["idempotency_key"]}
        assert len(gateway.delivered) == 1
        assert final["provider_message_id"] == next(iter(gateway.delivered))


def test_it_sends_once_when_the_original_task_and_the_sweep_both_run(
    database_url: str, tmp_path: Path
) -> None:
    """A worker died after taking the message, before any request; its task is still queued."""
    with running_gateway() as gateway:
        env = _env(database_url, tmp_path, gateway)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "shell", "-v", "0", "-c", SEED)
        claim = (
            "from django.utils import timezone\n"
            "from helpdesk.models import Notification\n"
            "Notification.objects.update(status='sending', attempts=1, "
            "lease_until=timezone.now())\n"
        )
        manage(env, "shell", "-v", "0", "-c", claim)
        manage(env, "scheduler", "--once", "--job", "service.sweep")
        worker = worker_start(env, "notifications", "--batch")
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output
        [final] = json.loads(manage(env, "shell", "-v", "0", "-c", REPORT))
        assert final["status"] == "sent"
        assert len(gateway.delivered) == 1
