from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LexiconConfig(AppConfig):
    name = "lexicon"
    verbose_name = _("Lexicon")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .lexicon import bump_generation
        from .models import LexiconEntry

        def changed(**kwargs) -> None:  # noqa: ANN003
            bump_generation()

        post_save.connect(changed, sender=LexiconEntry, weak=False, dispatch_uid="lexicon-entry-saved")
        post_delete.connect(changed, sender=LexiconEntry, weak=False, dispatch_uid="lexicon-entry-deleted")
