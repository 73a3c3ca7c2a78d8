"""Administrators read each model's figures: accuracy per category and confusion pairs."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from helpdesk.models import ClassifierExample, ClassifierModel
from helpdesk.services.classifier import classifier_train, in_held_out_slice
from tests.support.factories import Org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_it_shows_the_accuracy_per_category_and_the_confusion_pairs(
    client: Client, org: Org
) -> None:
    # Street-light texts filed under garbage, all in the held-out slice: the model
    # never learns them, so the slice shows them confused.
    texts = [f"the street light number {n} is off" for n in range(40)]
    for text in filter(in_held_out_slice, texts):
        ClassifierExample.objects.create(text=text, category=org.garbage, source="ticket")
    classifier_train()
    model = ClassifierModel.objects.get()
    assert model.figures["confusions"]
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    assert client.get("/admin/helpdesk/classifiermodel/").status_code == 200
    assert client.get("/admin/helpdesk/classifierexample/").status_code == 200
    page = client.get(f"/admin/helpdesk/classifiermodel/{model.pk}/change/").content.decode()
    assert "Accuracy per category" in page
    assert "Garbage" in page
    assert "garbage → streetlight" in page
