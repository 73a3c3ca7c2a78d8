from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = _("Social media")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from helpdesk.adapters import register_adapter
        from helpdesk.privacy.erase import register_eraser
        from social.channels import FacebookChannel, XChannel
        from social.privacy import social_erase

        register_adapter(XChannel())
        register_adapter(FacebookChannel())
        register_eraser(social_erase)
