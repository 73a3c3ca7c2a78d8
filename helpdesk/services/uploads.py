"""Uploads waiting for a message: their quotas, and their expiry.

A citizen uploads an image first and sends it in a ``message`` frame after; an
upload no message ever takes is an orphan. Orphans are deleted, row and file,
once older than ``NIDAA_ORPHAN_UPLOAD_HOURS`` (the scheduler runs
:func:`orphan_uploads_expire` every round) and, too, once older than the admin's
retention period for orphan uploads (``retention_apply``, helpdesk/privacy/retention.py).
Until then a conversation may hold at most ``NIDAA_UPLOADS_PENDING_PER_CONVERSATION``
orphans and ``NIDAA_UPLOADS_PER_CONVERSATION`` uploads in all, and an address may
upload ``NIDAA_UPLOADS_PER_ADDRESS_PER_DAY`` images a day (chat/views.py).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.errors import InvalidInput
from helpdesk.models import Attachment, Conversation
from helpdesk.ratelimit import Limit

logger = logging.getLogger(__name__)


def upload_daily_limit() -> Limit:
    return Limit("chat.upload.day", settings.NIDAA_UPLOADS_PER_ADDRESS_PER_DAY, 86400)


def upload_quota_check(*, conversation: Conversation) -> None:
    """Raise ``InvalidInput`` (``upload_quota``) when the conversation may take no more."""
    uploads = Attachment.objects.filter(conversation=conversation)
    pending = uploads.filter(message__isnull=True, ticket__isnull=True).count()
    if pending >= settings.NIDAA_UPLOADS_PENDING_PER_CONVERSATION:
        raise InvalidInput(
            _("Send the images you uploaded before uploading more."), code="upload_quota"
        )
    if uploads.count() >= settings.NIDAA_UPLOADS_PER_CONVERSATION:
        raise InvalidInput(
            _("This conversation has reached its number of images."), code="upload_quota"
        )


def orphan_uploads_expire(
    *,
    now: datetime.datetime | None = None,
    cutoff: datetime.datetime | None = None,
    dry_run: bool = False,
) -> int:
    """Delete uploads never attached to a message or ticket, older than ``cutoff``
    (default: ``NIDAA_ORPHAN_UPLOAD_HOURS`` before ``now``); ``dry_run`` only counts."""
    if cutoff is None:
        hours = settings.NIDAA_ORPHAN_UPLOAD_HOURS
        cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    orphans = Attachment.objects.filter(
        message__isnull=True, ticket__isnull=True, created_at__lt=cutoff
    )
    if dry_run:
        return orphans.count()
    expired = list(orphans)
    if not expired:
        return 0
    with transaction.atomic():
        Attachment.objects.filter(
            pk__in=[a.pk for a in expired], message__isnull=True, ticket__isnull=True
        ).delete()
    for attachment in expired:
        if attachment.file:
            try:
                attachment.file.storage.delete(attachment.file.name)
            except OSError:
                logger.warning("could not delete the expired upload %s", attachment.file.name)
    logger.info("deleted %d orphan upload(s)", len(expired))
    return len(expired)


def orphan_uploads_retention(cutoff: datetime.datetime, dry_run: bool) -> int:
    """The retention command's applier for ``DataClass.ORPHAN_UPLOADS``."""
    return orphan_uploads_expire(cutoff=cutoff, dry_run=dry_run)
