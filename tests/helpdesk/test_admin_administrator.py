"""The administrator role (not a superuser) manages the center's setup in the Django admin."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.management.commands.demo_setup import DEMO_PASSWORD
from helpdesk.models import Partner, Role
from helpdesk.services.api_tokens import partner_token_issue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# What the administrator must manage: organisation, categories, SLA, users, social
# accounts, notification templates, canned replies (changelist and add page).
MUST_MANAGE = {
    "helpdesk.organisationsettings",
    "helpdesk.directorate",
    "helpdesk.section",
    "helpdesk.category",
    "helpdesk.slapolicy",
    "helpdesk.skill",
    "helpdesk.holiday",
    "helpdesk.partner",
    "helpdesk.cannedreply",
    "helpdesk.notificationtemplate",
    "auth.user",
    "social.xaccount",
    "social.facebookpage",
    "bots.knowledgearticle",
}


def _signed_in_admin() -> Client:
    call_command("demo_setup", stdout=StringIO())
    user = get_user_model().objects.get(username="admin")
    assert not user.is_superuser and user.profile.role == Role.ADMINISTRATOR
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": DEMO_PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302, "the administrator may sign in to the admin"
    return client


def test_it_opens_every_admin_page_the_administrator_manages() -> None:
    client = _signed_in_admin()
    user = get_user_model().objects.get(username="admin")
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert b"permission to view or edit anything" not in index.content
    opened: set[str] = set()
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        label = f"{meta.app_label}.{meta.model_name}"
        if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            continue
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, label
        request = changelist.wsgi_request
        if model_admin.has_add_permission(request):
            add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
            assert add.status_code == 200, label
            opened.add(label)
        elif label == "helpdesk.organisationsettings":
            opened.add(label)  # one row, changed in place
    assert MUST_MANAGE <= opened, sorted(MUST_MANAGE - opened)


def test_it_keeps_superuser_rights_out_of_the_administrators_reach() -> None:
    client = _signed_in_admin()
    agent = get_user_model().objects.get(username="agent")
    page = client.get(reverse("admin:auth_user_change", args=[agent.pk]))
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content
    assert b'name="user_permissions"' not in page.content


def test_it_lets_the_administrator_revoke_a_partners_api_token() -> None:
    client = _signed_in_admin()
    partner_user = get_user_model().objects.filter(profile__partner__isnull=False).first()
    assert partner_user is not None
    token, raw = partner_token_issue(user=partner_user, name="CRM")
    bearer = {"authorization": f"Bearer {raw}"}
    Partner.objects.filter(pk=partner_user.profile.partner_id).update(api_enabled=True)
    assert Client().get("/api/v1/tickets/", headers=bearer).status_code == 200

    response = client.post(
        reverse("admin:helpdesk_partnerapitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/tickets/", headers=bearer).status_code == 401
