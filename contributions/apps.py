from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "contributions"

    def ready(self) -> None:
        from . import signals

        signals.connect_page_cache()
