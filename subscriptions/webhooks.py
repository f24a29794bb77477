"""The e-mail provider's webhooks (django-anymail), mounted only behind a secret.

A bounce or complaint webhook pauses or unsubscribes an address
(subscriptions/signals.py). Anymail checks the caller's HTTP basic
credentials against ``ANYMAIL["WEBHOOK_SECRET"]``, but with an empty secret
it checks nothing and merely warns: anyone could then unsubscribe anyone. So
every webhook answers 404, exactly as if it were not mounted, until a secret
is configured. The secret is read at request time, so that a secret set by
the environment (or by a test's ``settings``) takes effect without reloading
the URL configuration.
"""

from collections.abc import Callable
from functools import wraps

from anymail import urls as anymail_urls
from django.conf import settings
from django.core import checks
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern

# Anymail's form for the secret: "user:password" (HTTP basic authentication).
MIN_PASSWORD_LENGTH = 16


def webhook_secret() -> str:
    return (getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET") or ""


def webhooks_enabled() -> bool:
    return bool(webhook_secret())


def _only_with_a_secret(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not webhooks_enabled():
            raise Http404("No webhook secret is configured.")
        return view(request, *args, **kwargs)

    return guarded


app_name = anymail_urls.app_name
urlpatterns = [
    URLPattern(pattern.pattern, _only_with_a_secret(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
]


@checks.register(checks.Tags.security, deploy=True)
def check_webhook_secret(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``check --deploy`` fails without a strong secret: a production site
    whose provider reports bounces must authenticate it."""
    secret = webhook_secret()
    if not secret:
        return [checks.Error(
            "ANYMAIL_WEBHOOK_SECRET is empty: the e-mail provider's bounce and complaint webhooks are not "
            "mounted, so bounces never pause a subscription.",
            hint='Set ANYMAIL_WEBHOOK_SECRET to "user:password" (a random password of 16 characters or more) '
                 "and give the same credentials to your e-mail provider's webhook URL.",
            id="subscriptions.E001",
        )]  # fmt: skip
    user, _, password = secret.partition(":")
    if not user or len(password) < MIN_PASSWORD_LENGTH:
        return [checks.Error(
            'ANYMAIL_WEBHOOK_SECRET must be "user:password" with a password of at least '
            f"{MIN_PASSWORD_LENGTH} characters.",
            id="subscriptions.E002",
        )]  # fmt: skip
    return []
