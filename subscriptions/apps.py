from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Subscriptions and digests")

    def ready(self) -> None:
        # Connects the anymail tracking receiver; registers the deployment check of the webhook secret.
        from . import signals, webhooks  # noqa: F401
