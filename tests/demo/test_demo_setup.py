from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from helpdesk.models import AgentProfile, Category, Directorate, Partner, Section, TicketEvent


def _snapshot() -> dict[str, object]:
    return {
        model.__name__: sorted(model.objects.values_list(*fields))
        for model, fields in [
            (Directorate, ("code", "name_ar", "name_en")),
            (Section, ("code", "directorate__code", "email")),
            (Category, ("code", "default_section__code", "keywords_ar", "keywords_en")),
            (Partner, ("code", "sms_number", "email")),
            (AgentProfile, ("user__username", "role", "partner__code")),
        ]
    } | {"users": sorted(get_user_model().objects.values_list("username", "password"))}


@pytest.mark.django_db
def test_it_loads_the_demo_organisation_and_is_idempotent() -> None:
    call_command("demo_setup", stdout=StringIO())
    first = _snapshot()
    call_command("demo_setup", stdout=StringIO())
    assert _snapshot() == first
    assert Directorate.objects.count() >= 7
    assert Category.objects.count() >= 20
    assert set(Partner.objects.values_list("code", flat=True)) >= {"omantel", "haya_water"}
    roles = set(AgentProfile.objects.values_list("role", flat=True))
    assert roles == {
        "agent",
        "dispatcher",
        "section_staff",
        "supervisor",
        "administrator",
        "partner",
        "tourism_official",
    }
    assert not TicketEvent.objects.exists()


@pytest.mark.django_db
def test_every_demo_category_routes_to_a_section_and_has_keywords() -> None:
    call_command("demo_setup", stdout=StringIO())
    for category in Category.objects.all():
        assert category.default_section.directorate
        assert category.keywords_ar.strip() and category.keywords_en.strip()
