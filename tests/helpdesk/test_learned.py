"""The learned category model against the fixed holdout it is never trained on.

The model is trained as ``classifier_train`` trains it (the shipped labelled texts and
the demo categories' keywords) and judged on ``tests/data/complaints_holdout.jsonl``.
The figures are quality targets, not timings: asserting them is the point. Speed is
measured by ``make bench-classify``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from demo import data as demo_data
from helpdesk.learned import CategoryModel, Example, Figures, evaluate, examples_from_jsonl
from helpdesk.services.classifier import SHIPPED_EXAMPLES

HOLDOUT = Path(__file__).resolve().parent.parent / "data" / "complaints_holdout.jsonl"
THRESHOLD = 0.8  # the default NIDAA_CLASSIFIER_CONFIDENCE


def _holdout() -> list[Example]:
    return examples_from_jsonl(HOLDOUT.read_text(encoding="utf-8").splitlines())


def _training() -> list[Example]:
    return examples_from_jsonl(SHIPPED_EXAMPLES.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def figures() -> Figures:
    keywords = {c["code"]: c["keywords_ar"] + c["keywords_en"] for c in demo_data.CATEGORIES}
    model = CategoryModel().fit(_training(), keywords=keywords)
    result = evaluate(model, _holdout(), threshold=THRESHOLD)
    print(
        f"holdout {result.count}: top-1 {result.top1:.1%}, top-3 {result.top3:.1%}, "
        f"{result.confident_count} confident, {result.confident_precision:.1%} right; "
        f"subsets {result.subsets}"
    )
    return result


def test_it_reaches_the_top1_and_top3_targets_on_the_holdout(figures: Figures) -> None:
    assert figures.top1 >= 0.95
    assert figures.top3 >= 0.99


def test_it_is_right_at_least_98_percent_of_the_time_when_confident(figures: Figures) -> None:
    assert figures.confident_precision >= 0.98
    assert figures.confident_count >= 0.8 * figures.count  # confident often enough to matter


def test_it_reads_arabizi_and_dialect_holdout_texts(figures: Figures) -> None:
    assert figures.subsets["arabizi"]["count"] >= 20
    assert figures.subsets["dialect"]["count"] >= 20
    assert figures.subsets["arabizi"]["top1"] >= 0.9
    assert figures.subsets["dialect"]["top1"] >= 0.8


def test_it_never_trains_on_a_holdout_text() -> None:
    training = {example.text.strip() for example in _training()}
    assert not training & {example.text.strip() for example in _holdout()}


def test_it_has_600_labelled_texts_in_every_category_and_kind() -> None:
    training, holdout = _training(), _holdout()
    assert len(training) + len(holdout) >= 600
    codes = {c["code"] for c in demo_data.CATEGORIES}
    assert {e.category for e in training} == codes
    assert {e.category for e in holdout} == codes
    assert {"arabizi", "dialect", "typo"} <= {e.kind for e in holdout}


def test_it_keeps_the_top_three_in_probability_order() -> None:
    keywords = {c["code"]: c["keywords_ar"] + c["keywords_en"] for c in demo_data.CATEGORIES}
    model = CategoryModel().fit(_training()[:200], keywords=keywords)
    ranked = model.probabilities("الماي مقطوع من الصبح")
    probabilities = [p for _, p in ranked]
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) == pytest.approx(1.0)
