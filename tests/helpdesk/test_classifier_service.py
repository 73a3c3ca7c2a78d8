"""The classifier learns from work: corrections recorded, models trained, judged and served."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from helpdesk.jobs import core_jobs
from helpdesk.learned import CategoryModel, Example
from helpdesk.models import (
    Category,
    ClassifierExample,
    ClassifierExampleSource,
    ClassifierModel,
    Message,
    Role,
)
from helpdesk.services.classifier import (
    KEEP_ARTEFACTS,
    NothingToLearn,
    classifier_train,
    in_held_out_slice,
)
from helpdesk.services.console import conversation_ticket_create, ticket_prefill
from helpdesk.services.intake import phone_ticket_log
from helpdesk.services.tickets import ticket_reclassify
from tests.support.factories import Org, actor, make_agent, make_staff, make_ticket, make_waiting

pytestmark = pytest.mark.django_db

MUSCAT = datetime.timezone(datetime.timedelta(hours=4))


# ---- corrections become examples ------------------------------------------------------


def test_it_keeps_a_reclassified_ticket_as_an_example_with_personal_data_masked(
    org: Org,
) -> None:
    ticket = make_ticket(org, description="Rubbish everywhere, call me on +968 9123 4567")
    dispatcher = make_staff(Role.DISPATCHER)
    ticket_reclassify(ticket=ticket, actor=actor(dispatcher), category=org.garbage)
    example = ClassifierExample.objects.get()
    assert example.category == org.garbage
    assert example.source == ClassifierExampleSource.TICKET
    assert example.recorded_by == dispatcher
    assert "9123" not in example.text
    assert example.text.startswith("Rubbish everywhere")


def test_it_keeps_only_the_final_category_of_a_ticket_reclassified_twice(org: Org) -> None:
    ticket = make_ticket(org)
    dispatcher = actor(make_staff(Role.DISPATCHER))
    ticket_reclassify(ticket=ticket, actor=dispatcher, category=org.garbage)
    ticket_reclassify(ticket=ticket, actor=dispatcher, category=org.water)
    assert list(ClassifierExample.objects.values_list("category", flat=True)) == [org.water.pk]


def test_it_learns_nothing_when_only_the_section_changes(org: Org) -> None:
    ticket = make_ticket(org)
    dispatcher = actor(make_staff(Role.DISPATCHER))
    ticket_reclassify(ticket=ticket, actor=dispatcher, section=org.lighting)
    assert not ClassifierExample.objects.exists()


def _assigned_conversation(text: str, **kwargs: Any) -> tuple[Any, Any]:
    agent = make_agent()
    conversation = make_waiting(state="assigned", assignee=agent, last_seq=1, **kwargs)
    Message.objects.create(conversation=conversation, seq=1, sender_kind="citizen", text=text)
    return agent, conversation


def test_it_learns_from_an_agent_who_chooses_other_than_the_conversation_category(
    org: Org,
) -> None:
    agent, conversation = _assigned_conversation("water everywhere", category=org.pothole)
    conversation_ticket_create(
        user=agent,
        conversation=str(conversation.public_id),
        fields={"category": org.water.code, "subject": "Leak", "description": "water everywhere"},
    )
    example = ClassifierExample.objects.get()
    assert example.category == org.water
    assert example.source == ClassifierExampleSource.CONVERSATION
    assert example.conversation == conversation


def test_it_learns_nothing_when_the_agent_keeps_the_offered_category(org: Org) -> None:
    agent, conversation = _assigned_conversation("a pothole", category=org.pothole)
    conversation_ticket_create(
        user=agent,
        conversation=str(conversation.public_id),
        fields={"category": org.pothole.code, "subject": "Hole", "description": "a pothole"},
    )
    assert not ClassifierExample.objects.exists()


def test_it_preselects_nothing_in_the_agents_form_without_a_confident_suggestion(
    org: Org,
) -> None:
    agent, conversation = _assigned_conversation("there is a pothole")
    prefill = ticket_prefill(user=agent, conversation=str(conversation.public_id))
    assert prefill["category"] == ""  # keywords alone are never confident
    assert prefill["suggestions"][0]["code"] == org.pothole.code
    assert prefill["suggestions"][0]["probability"] is None


def test_it_preselects_a_confident_suggestion_in_the_agents_form(org: Org, settings: Any) -> None:
    settings.NIDAA_CLASSIFIER_CONFIDENCE = 0.5
    classifier_train()  # the test organisation's keywords alone
    agent, conversation = _assigned_conversation("pothole")
    prefill = ticket_prefill(user=agent, conversation=str(conversation.public_id))
    assert prefill["suggestions"][0]["probability"] >= 0.5
    assert prefill["category"] == org.pothole.code


# ---- training -------------------------------------------------------------------------


def test_it_serves_the_first_model_and_records_its_figures(org: Org) -> None:
    outcome = classifier_train()
    assert outcome.accepted
    row = ClassifierModel.objects.get()
    assert row.is_active
    assert row.note == "first model"
    assert set(row.figures) >= {"top1", "top3", "per_category", "confusions"}


def test_it_trains_on_the_stored_corrections(org: Org) -> None:
    texts = [f"the lamp number {n} on our road flickers" for n in range(40)]
    for text in texts:
        ClassifierExample.objects.create(text=text, category=org.streetlight, source="ticket")
    outcome = classifier_train()
    assert outcome.model.correction_count == sum(not in_held_out_slice(t) for t in texts)
    assert outcome.model.slice_count == sum(in_held_out_slice(t) for t in texts)


def test_it_keeps_the_serving_model_when_the_new_one_scores_worse(org: Org) -> None:
    # Corrections in the held-out slice that contradict the keywords: a new model,
    # which never sees them, gets them wrong; the serving model was fitted on them.
    misleading = [f"garbage bags piled up number {n}" for n in range(60)]
    in_slice = [text for text in misleading if in_held_out_slice(text)]
    assert in_slice
    for text in in_slice:
        ClassifierExample.objects.create(text=text, category=org.water, source="ticket")
    keywords = {c.code: c.keyword_list() for c in Category.objects.all()}
    serving = CategoryModel().fit([Example(t, "water") for t in in_slice], keywords=keywords)
    kept = ClassifierModel.objects.create(artefact=serving.dumps(), is_active=True, accepted=True)
    outcome = classifier_train()
    assert not outcome.accepted
    assert outcome.previous is not None and outcome.figures.top1 < outcome.previous.top1
    assert ClassifierModel.objects.get(is_active=True) == kept
    assert ClassifierModel.objects.count() == 2  # the rejected run is recorded too


def test_it_refuses_to_train_with_fewer_than_two_categories(org: Org) -> None:
    Category.objects.exclude(pk=org.pothole.pk).update(is_active=False)
    with pytest.raises(NothingToLearn):
        classifier_train()


def test_it_reports_a_training_from_the_command_line(org: Org) -> None:
    out = io.StringIO()
    call_command("classifier_train", stdout=out)
    assert "(serving)" in out.getvalue()
    assert "top-1" in out.getvalue()


# ---- nightly --------------------------------------------------------------------------


def test_it_is_due_until_it_has_trained_tonight(org: Org, settings: Any) -> None:
    settings.NIDAA_CLASSIFIER_TRAIN_HOUR = 2
    [job] = [job for job in core_jobs() if job.name == "classifier.train"]

    def due(now: datetime.datetime) -> bool:
        return job.first_due(now) <= now

    night = datetime.datetime(2026, 12, 1, 3, 0, tzinfo=MUSCAT)
    assert due(night)
    classifier_train()
    ClassifierModel.objects.update(created_at=night)
    assert not due(night + datetime.timedelta(hours=20))
    assert due(night + datetime.timedelta(hours=23))


@pytest.mark.django_db(transaction=True)
def test_it_trains_from_a_scheduler_round_when_due(org: Org) -> None:
    call_command("scheduler", "--once", "--job", "classifier.train", stdout=io.StringIO())
    trained = ClassifierModel.objects.get()
    assert trained.created_at <= timezone.now()
    call_command("scheduler", "--once", "--job", "classifier.train", stdout=io.StringIO())
    assert ClassifierModel.objects.count() == 1  # not twice in one night


def test_it_learns_from_a_conversation_filed_under_another_category_by_phone_form(
    org: Org,
) -> None:
    agent, conversation = _assigned_conversation("no water", category=org.pothole)
    phone_ticket_log(
        actor=actor(agent),
        channel="phone",
        caller_name="Said",
        caller_phone="+96891234567",
        category=org.water,
        subject="No water",
        description="No water since the morning",
        conversation=conversation,
    )
    example = ClassifierExample.objects.get()
    assert example.category == org.water
    assert example.conversation == conversation


def test_it_keeps_the_artefacts_of_the_serving_model_and_the_latest_runs_only(
    org: Org,
) -> None:
    first = classifier_train().model
    ClassifierModel.objects.filter(pk=first.pk).update(is_active=False)
    for _ in range(KEEP_ARTEFACTS):
        classifier_train()
    emptied = ClassifierModel.objects.get(pk=first.pk)
    assert bytes(emptied.artefact) == b""
    assert emptied.figures  # the figures of an old run stay
    kept = ClassifierModel.objects.exclude(pk=first.pk)
    assert all(bytes(row.artefact) for row in kept)
