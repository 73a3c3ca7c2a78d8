"""The words of notifications: built-in, seeded, edited by administrators."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from helpdesk.models import Notification, NotificationEvent, NotificationTemplate
from helpdesk.notify.defaults import DEFAULTS
from helpdesk.notify.rendering import render
from helpdesk.notify.segments import GSM7, sms_size
from helpdesk.services.notifications import notification_templates_seed
from tests.support.factories import Org, make_contact, make_ticket, readable

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db]


def test_it_has_arabic_and_english_words_for_every_event() -> None:
    assert set(DEFAULTS) == set(NotificationEvent.values)
    for event, languages in DEFAULTS.items():
        assert set(languages) == {"ar", "en"}, event
        for words in languages.values():
            assert words["sms"] and words["subject"] and words["email"], event


def test_it_renders_every_built_in_template(org: Org) -> None:
    ticket = make_ticket(org)
    for event in NotificationEvent.values:
        for channel in ("sms", "email", "fax", "conversation"):
            for language in ("ar", "en", "ar+en"):
                rendered = render(event, channel=channel, language=language, ticket=ticket)
                assert ticket.reference in readable(rendered.body), (event, channel, language)
                assert "{{" not in rendered.body and "{%" not in rendered.body


def test_it_sends_the_words_an_administrator_edited(org: Org) -> None:
    NotificationTemplate.objects.create(
        event_key="ticket_registered",
        channel="sms",
        language="en",
        body="Ref {{ reference }} — we are on it.",
    )
    ticket = make_ticket(org, contact=make_contact(language="en"))
    notification = Notification.objects.get(ticket=ticket)
    assert notification.body == f"Ref {ticket.reference} — we are on it."


def test_it_faxes_with_the_e_mail_template_when_fax_has_none(org: Org) -> None:
    NotificationTemplate.objects.create(
        event_key="ticket_registered",
        channel="email",
        language="ar",
        subject="بلاغ {{ reference }}",
        body="نص البريد {{ reference }}",
    )
    ticket = make_ticket(org, contact=make_contact(preferred_channel="fax", fax="+96824123456"))
    notification = Notification.objects.get(ticket=ticket)
    assert notification.body == f"نص البريد {ticket.reference}"
    assert notification.subject == f"بلاغ {ticket.reference}"


def test_it_seeds_editable_templates_without_overwriting_edits() -> None:
    created = notification_templates_seed()
    assert created == len(NotificationEvent.values) * 2 * 2
    row = NotificationTemplate.objects.get(event_key="closed", channel="sms", language="ar")
    row.body = "edited"
    row.save()
    assert notification_templates_seed() == 0
    row.refresh_from_db()
    assert row.body == "edited"


def test_it_seeds_the_templates_with_the_demo() -> None:
    call_command("demo_setup", stdout=StringIO())
    assert NotificationTemplate.objects.count() == len(NotificationEvent.values) * 4


def test_it_lists_notifications_for_administrators(client: Client, org: Org) -> None:
    make_ticket(org)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    for url in (
        "/admin/helpdesk/notification/?status__exact=queued&channel__exact=sms",
        "/admin/helpdesk/notificationtemplate/",
        "/admin/helpdesk/inboundsms/?attached=no",
        "/admin/helpdesk/slaalert/",
        "/admin/helpdesk/slapolicy/add/",
    ):
        assert client.get(url).status_code == 200, url
    notification = Notification.objects.get()
    page = client.get(f"/admin/helpdesk/notification/{notification.pk}/change/")
    assert notification.recipient in page.content.decode()


def test_it_keeps_every_english_sms_in_gsm7(org: Org) -> None:
    """One stray typographic dash would double what an English SMS costs."""
    ticket = make_ticket(org, category=org.water)
    ticket.partner = org.haya
    for event in NotificationEvent.values:
        rendered = render(event, channel="sms", language="en", ticket=ticket, note="Fixed.")
        assert sms_size(rendered.body).encoding == GSM7, event


def test_it_fits_the_arabic_registration_sms_in_two_parts(org: Org) -> None:
    ticket = make_ticket(org)
    rendered = render("ticket_registered", channel="sms", language="ar", ticket=ticket)
    assert sms_size(rendered.body).parts <= 2


def test_it_refuses_a_broken_template_in_the_admin(client: Client) -> None:
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    response = client.post(
        "/admin/helpdesk/notificationtemplate/add/",
        {
            "event_key": "closed",
            "channel": "sms",
            "language": "en",
            "subject": "",
            "body": "Closed {% if %}",
        },
    )
    assert response.status_code == 200
    assert "This template has an error" in response.content.decode()
    assert not NotificationTemplate.objects.exists()


def test_it_falls_back_to_the_built_in_words_when_a_stored_template_is_broken(org: Org) -> None:
    NotificationTemplate.objects.create(
        event_key="ticket_registered", channel="sms", language="en", body="{% if %}"
    )
    ticket = make_ticket(org, contact=make_contact(language="en"))
    notification = Notification.objects.get(ticket=ticket)
    assert notification.body.startswith(f"Muscat Municipality: your report {ticket.reference}")
