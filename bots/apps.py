from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BotsConfig(AppConfig):
    name = "bots"
    verbose_name = _("Self-service assistant")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bots.handler import ASSISTANT
        from bots.privacy import assistant_erase, drafts_expire
        from helpdesk.adapters import register_handler
        from helpdesk.models import DataClass
        from helpdesk.privacy.erase import register_eraser
        from helpdesk.privacy.retention import register_retention

        register_handler(ASSISTANT)
        register_eraser(assistant_erase)
        register_retention(DataClass.DRAFTS, drafts_expire)
