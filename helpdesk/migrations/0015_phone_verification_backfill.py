"""Numbers proven before verification existed: a deployment that upgrades keeps texting
the citizens it already texted rightly. Proven, as helpdesk/services/verification.py
counts it today: the number wrote to us by SMS, or staff logged it on a ticket of theirs
(a call, a fax, an SMS, an e-mail) that came with no conversation.
"""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

STAFF_LOGGED = ("phone", "fax", "sms", "email")


def backfill(apps, schema_editor):
    Contact = apps.get_model("helpdesk", "Contact")
    proven = (
        Contact.objects.filter(phone_verified_at__isnull=True)
        .exclude(phone="")
        .filter(
            Q(identities__channel="sms")
            | Q(tickets__channel__in=STAFF_LOGGED, tickets__conversation__isnull=True)
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    Contact.objects.filter(pk__in=list(proven)).update(phone_verified_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0014_phone_verification"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
