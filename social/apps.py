from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = _("Social media")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from helpdesk.adapters import register_adapter
        from helpdesk.privacy.erase import register_eraser
        from helpdesk.processes import register_job
        from social.channels import FacebookChannel, XChannel
        from social.jobs import SOCIAL_JOBS
        from social.privacy import social_erase

        register_adapter(XChannel())
        register_adapter(FacebookChannel())
        register_eraser(social_erase)
        for job in SOCIAL_JOBS:
            register_job(job)
