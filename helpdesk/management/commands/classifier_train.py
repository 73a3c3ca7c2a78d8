"""Retrain the category classifier; the new model serves only if it does at least as well."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from helpdesk.services.classifier import NothingToLearn, classifier_train


class Command(BaseCommand):
    help = (
        "Train the category classifier on the shipped labelled texts, the staff's corrections "
        "and the keywords; keep the serving model unless the new one scores at least as well "
        "on the held-out slice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = classifier_train()
        except NothingToLearn:
            raise CommandError(
                "Fewer than two active categories have examples or keywords: nothing to learn."
            ) from None
        figures = outcome.figures
        verdict = "serving" if outcome.accepted else "not serving"
        self.stdout.write(
            f"Model #{outcome.model.pk} ({verdict}): {outcome.model.example_count} examples "
            f"({outcome.model.correction_count} corrections); held-out slice of "
            f"{figures.count}: top-1 {figures.top1:.1%}, top-3 {figures.top3:.1%}, "
            f"{figures.confident_count} confident at ≥{figures.threshold:.0%} with "
            f"{figures.confident_precision:.1%} right. {outcome.model.note}"
        )
