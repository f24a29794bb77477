from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Subscriptions and digests")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the anymail tracking receiver)
        from . import webhooks  # noqa: F401  (registers the deployment check of the webhook secret)
