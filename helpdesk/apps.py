from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_role_groups(**kwargs: Any) -> None:
    # Permissions exist only after migrate has run, so the role groups are made here.
    from helpdesk.services.staff import role_groups_ensure

    role_groups_ensure()


def _logged_out(user: Any = None, **kwargs: Any) -> None:
    from helpdesk.services.presence import presence_logged_out

    presence_logged_out(user=user)


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Contact center")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from helpdesk import acd, staff_sessions
        from helpdesk.services.distributor import BroadcastMemo, acd_pass

        # After every app's migration, not only ours: the administrator's group holds
        # permissions of other apps (social accounts, the assistant), created by theirs.
        post_migrate.connect(_ensure_role_groups, dispatch_uid="helpdesk_role_groups")
        user_logged_out.connect(_logged_out, dispatch_uid="helpdesk_presence_logged_out")
        # Connects the access log's flush to the end of every request.
        import helpdesk.privacy.access  # noqa: F401
        from helpdesk.adapters import register_adapter
        from helpdesk.models import DataClass
        from helpdesk.notify.channel import SmsChannel
        from helpdesk.privacy.retention import register_retention
        from helpdesk.services.uploads import orphan_uploads_retention

        register_retention(DataClass.ORPHAN_UPLOADS, orphan_uploads_retention)
        from helpdesk.jobs import core_jobs
        from helpdesk.processes import register_job

        for job in core_jobs():
            register_job(job)
        staff_sessions.connect_receivers()
        acd.distributor_register(run_pass=acd_pass, new_memo=BroadcastMemo)
        # Staff answers in an SMS conversation go back as texts, through the outbox.
        register_adapter(SmsChannel())
