from django.apps import AppConfig


class NidaaConfig(AppConfig):
    """The project itself, installed for its deployment checks (``nidaa.production``)."""

    name = "nidaa"
    verbose_name = "Nidaa"

    def ready(self) -> None:
        from django.core import checks

        from nidaa.production import production_check

        checks.register(production_check, checks.Tags.security)
