from django.apps import AppConfig


class IatiConfig(AppConfig):
    """IATI 2.03 activity files: the hub's reports out (API, dump) and in (import)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "iati"
    verbose_name = "IATI"
