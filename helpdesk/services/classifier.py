"""The classifier learns from work: staff corrections become examples, nightly training.

When staff change the category of a ticket (or choose one other than the one the
agent's form offered), :func:`classifier_example_record` keeps the text, personal
data masked, and the final category. :func:`classifier_train` trains a new
:class:`helpdesk.learned.CategoryModel` on the shipped labelled texts, the stored
corrections and the categories' keywords, judges it on a held-out slice (one text
in five, chosen by a hash of the text so a text never changes side), and lets it
serve only when it scores at least as well there as the serving model. Every run
is recorded with its figures, accepted or not.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from helpdesk.learned import (
    FEATURES_VERSION,
    CategoryModel,
    Example,
    Figures,
    evaluate,
    examples_from_jsonl,
)
from helpdesk.models import (
    Category,
    ClassifierExample,
    ClassifierExampleSource,
    ClassifierModel,
    Conversation,
    OrganisationSettings,
    Ticket,
)
from helpdesk.text import mask_personal_data

logger = logging.getLogger("helpdesk.classifier")

SHIPPED_EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "complaints_train.jsonl"
SLICE_ONE_IN = 5
# Runs whose artefacts are kept besides the serving one; older runs keep their figures only.
KEEP_ARTEFACTS = 5


def classifier_example_record(
    *,
    ticket: Ticket,
    category: Category,
    recorded_by: Any = None,
    source: str = ClassifierExampleSource.TICKET,
    conversation: Conversation | None = None,
) -> ClassifierExample | None:
    """Keep the ticket's text and its final category as a training example (one per ticket)."""
    text = mask_personal_data((ticket.description or ticket.subject).strip())
    if not text.strip("* \n"):
        return None
    example, _created = ClassifierExample.objects.update_or_create(
        ticket=ticket,
        defaults={
            "text": text,
            "category": category,
            "source": source,
            "conversation": conversation,
            "recorded_by": recorded_by,
        },
    )
    return example


def in_held_out_slice(text: str) -> bool:
    """One text in five, always the same ones: the slice a new model is judged on."""
    digest = hashlib.sha256(text.strip().encode()).digest()
    return digest[0] % SLICE_ONE_IN == 0


def shipped_examples(codes: set[str]) -> list[Example]:
    """The labelled texts shipped with Nidaa, for the categories this organisation has."""
    lines = SHIPPED_EXAMPLES.read_text(encoding="utf-8").splitlines()
    return [example for example in examples_from_jsonl(lines) if example.category in codes]


def _corrections(codes: set[str]) -> list[Example]:
    rows = ClassifierExample.objects.filter(category__is_active=True).values_list(
        "text", "category__code"
    )
    return [Example(text, code) for text, code in rows if code in codes]


def _keywords(categories: list[Category]) -> dict[str, list[str]]:
    return {category.code: category.keyword_list() for category in categories}


def _model_of(row: ClassifierModel) -> CategoryModel | None:
    """The model a row holds, or None when its features are of another version."""
    return CategoryModel.loads(bytes(row.artefact), version=row.features_version)


@dataclass(frozen=True)
class TrainingOutcome:
    model: ClassifierModel
    accepted: bool
    figures: Figures
    previous: Figures | None


class NothingToLearn(Exception):
    """Fewer than two active categories have examples or keywords: nothing to tell apart."""


def classifier_train(*, threshold: float | None = None) -> TrainingOutcome:
    """Train, judge on the held-out slice, and serve the new model if it is at least as good."""
    threshold = settings.NIDAA_CLASSIFIER_CONFIDENCE if threshold is None else threshold
    categories = list(Category.objects.filter(is_active=True))
    codes = {category.code for category in categories}
    corrections = _corrections(codes)
    everything = shipped_examples(codes) + corrections
    training = [example for example in everything if not in_held_out_slice(example.text)]
    held_out = [example for example in everything if in_held_out_slice(example.text)]
    keywords = {code: lines for code, lines in _keywords(categories).items() if lines}
    if len({example.category for example in training} | set(keywords)) < 2:
        raise NothingToLearn
    candidate = CategoryModel().fit(training, keywords=keywords)
    figures = evaluate(candidate, held_out, threshold=threshold)

    serving = ClassifierModel.objects.filter(is_active=True).first()
    serving_model = _model_of(serving) if serving is not None else None
    previous = evaluate(serving_model, held_out, threshold=threshold) if serving_model else None
    accepted = previous is None or figures.top1 >= previous.top1
    if previous is None:
        note = "first model" if serving is None else "serving model was of older features"
    elif accepted:
        note = f"top-1 {figures.top1:.1%} ≥ serving {previous.top1:.1%}"
    else:
        note = f"kept serving model: top-1 {figures.top1:.1%} < {previous.top1:.1%}"
    correction_set = set(corrections)
    correction_count = sum(1 for example in training if example in correction_set)
    organisation = OrganisationSettings.load()
    with transaction.atomic():
        # Two schedulers may finish training at once: one swaps the serving model at a time.
        OrganisationSettings.objects.select_for_update().get(pk=organisation.pk)
        if accepted:
            ClassifierModel.objects.filter(is_active=True).update(is_active=False)
        row = ClassifierModel.objects.create(
            artefact=candidate.dumps(),
            features_version=FEATURES_VERSION,
            is_active=accepted,
            accepted=accepted,
            example_count=len(training),
            correction_count=correction_count,
            slice_count=len(held_out),
            figures=figures.as_dict(),
            previous_figures=previous.as_dict() if previous else {},
            note=note,
        )
        _artefacts_prune()
    logger.info("Classifier model #%s trained: %s", row.pk, note)
    return TrainingOutcome(row, accepted, figures, previous)


def _artefacts_prune() -> None:
    """Empty the artefacts of all but the serving model and the latest runs (figures stay)."""
    recent = ClassifierModel.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)
    keep = list(recent[:KEEP_ARTEFACTS])
    ClassifierModel.objects.filter(is_active=False).exclude(pk__in=keep).update(artefact=b"")


def classifier_last_trained() -> datetime.datetime | None:
    """When a model was last trained (the scheduler retrains nightly, helpdesk/jobs.py)."""
    return ClassifierModel.objects.aggregate(last=Max("created_at"))["last"]
