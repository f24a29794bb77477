from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperiencesConfig(AppConfig):
    name = "experiences"
    verbose_name = _("Experience reports")

    def ready(self) -> None:
        from . import signals

        signals.connect_post_migrate(self)
        signals.connect_page_cache()
