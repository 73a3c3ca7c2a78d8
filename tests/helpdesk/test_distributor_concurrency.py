"""Two OS processes against one PostgreSQL: the distributor stays exact."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpdesk.models import AgentProfile, Conversation, Message, OrganisationSettings
from tests.support.factories import make_agent
from tests.support.live import database_url

ROOT = Path(__file__).resolve().parents[2]
AGENTS = 3
CAPACITY = 2
ARRIVALS = 20


def _run_two(tmp_path: Path, argvs: list[list[str]]) -> None:
    go = tmp_path / f"go-{time.monotonic_ns()}"
    env = {**os.environ, "DATABASE_URL": database_url(), "SECRET_KEY": "test"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.acd_worker", argv[0], str(go), *argv[1:]],
            cwd=ROOT,
            env=env,
        )
        for argv in argvs
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob(f"{go.name}.ready.*"))) < len(workers):
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.05)
    go.touch()
    for worker in workers:
        assert worker.wait(timeout=180) == 0


def _rank(c: Conversation) -> tuple:
    return (-c.priority, c.queued_at, c.pk)


def _serves(profile: AgentProfile, skill_ids: set[int], c: Conversation) -> bool:
    skill_ok = c.required_skill_id is None or c.required_skill_id in skill_ids
    return skill_ok and c.language in profile.languages


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_distributes_twenty_arrivals_from_two_processes_exactly(org, tmp_path: Path) -> None:
    OrganisationSettings.load()
    OrganisationSettings.objects.update(auto_accept=True, max_lines=30)
    agents = [
        make_agent(max_concurrent=CAPACITY, skills=[org.general], languages=["ar"]),
        make_agent(max_concurrent=CAPACITY, skills=[org.general], languages=["ar", "en"]),
        make_agent(
            max_concurrent=CAPACITY, skills=[org.general, org.tourism], languages=["ar", "en"]
        ),
    ]
    profiles = {a.pk: AgentProfile.objects.get(user=a) for a in agents}
    skills = {a.pk: set(profiles[a.pk].skills.values_list("pk", flat=True)) for a in agents}

    # Phase 1: twenty conversations arrive at once through two processes.
    _run_two(tmp_path, [["arrive", "0", "10"], ["arrive", "10", "10"]])
    assert Conversation.objects.count() == ARRIVALS
    for agent in agents:
        assert Conversation.objects.filter(assignee=agent, state="assigned").count() == CAPACITY
    assert Conversation.objects.filter(state="queued").count() == ARRIVALS - AGENTS * CAPACITY
    phase_two_starts = Message.objects.order_by("-pk").values_list("pk", flat=True)[0]

    # Phase 2: two processes close conversations; each freed slot is refilled.
    _run_two(tmp_path, [["close"], ["close"]])

    conversations = {c.pk: c for c in Conversation.objects.all()}
    assert all(c.state == "closed" for c in conversations.values())
    assigned = list(
        Message.objects.filter(event="assigned")
        .order_by("pk")
        .values_list("pk", "conversation_id", "created_at")
    )
    # No conversation is assigned twice.
    assert sorted(cid for _pk, cid, _at in assigned) == sorted(conversations)
    assignee_at = {cid: conversations[cid].assignee_id for _pk, cid, _at in assigned}

    for pk, cid, at in assigned:
        conversation = conversations[cid]
        agent_id = assignee_at[cid]
        # Skills and language are respected.
        assert _serves(profiles[agent_id], skills[agent_id], conversation)
        # No agent exceeds capacity: what they held then, counting every close
        # that could possibly have been committed before this decision.
        held = [
            other_cid
            for other_pk, other_cid, _ in assigned
            if other_pk < pk
            and assignee_at[other_cid] == agent_id
            and not (conversations[other_cid].closed_at < at)
        ]
        assert len(held) < CAPACITY, f"agent {agent_id} over capacity at message {pk}"
        if pk <= phase_two_starts:
            continue
        # Priority, then waiting time: nothing better that this agent could serve
        # was still waiting when the decision was taken.
        still_waiting = {other_cid for other_pk, other_cid, _ in assigned if other_pk > pk}
        better = [
            d
            for d in (conversations[i] for i in still_waiting)
            if _rank(d) < _rank(conversation) and _serves(profiles[agent_id], skills[agent_id], d)
        ]
        assert not better, f"{cid} served before better-placed {[d.pk for d in better]}"
