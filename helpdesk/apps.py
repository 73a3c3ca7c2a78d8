from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_role_groups(**kwargs: Any) -> None:
    # Permissions exist only after migrate has run, so the role groups are made here.
    from helpdesk.services.staff import role_groups_ensure

    role_groups_ensure()


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Contact center")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_ensure_role_groups, sender=self)
        from django.core import checks

        from helpdesk import staff_sessions
        from helpdesk.production import production_check

        staff_sessions.connect_receivers()
        checks.register(production_check, checks.Tags.security)
