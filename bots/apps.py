from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BotsConfig(AppConfig):
    name = "bots"
    verbose_name = _("Self-service assistant")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bots.handler import ASSISTANT
        from bots.privacy import assistant_erase
        from helpdesk.adapters import register_handler
        from helpdesk.privacy.erase import register_eraser

        register_handler(ASSISTANT)
        register_eraser(assistant_erase)
