from django.apps import AppConfig


class CooperationHubConfig(AppConfig):
    name = "cooperation_hub"
    verbose_name = "Cooperation Hub"

    def ready(self) -> None:
        from . import page_cache_signals

        page_cache_signals.connect()
