"""django-allauth's adapter (ACCOUNT_ADAPTER): where allauth sends a member
after signing in, up or out, and its e-mails (in the member's language, with
links on SITE_URL, never on the request's Host header); ACCOUNT_USER_DISPLAY."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_from_path

from cooperation_hub.sites import absolute_url


class AccountAdapter(DefaultAccountAdapter):
    """Signing in or out on a French page lands on the French home page.

    Account pages live under /fr/ and /en/; the bare "/" would pick a language
    from the browser instead of the one the member was reading in.
    """

    def _home(self, request: HttpRequest) -> str:
        language = get_language_from_path(request.path) or settings.LANGUAGE_CODE
        with translation.override(language):
            return reverse("wagtail_serve", args=("",))

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return self._home(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self._home(request)

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        return self._home(request)

    # --- Links in e-mails and rate-limit keys: from SITE_URL, never from the
    # request's Host header (any allowed host, or a forged one, would do).

    def get_client_ip(self, request: HttpRequest) -> str:
        from contributions.ratelimit import client_ip

        return client_ip(request)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation) -> str:
        url = on_site(super().get_email_confirmation_url(request, emailconfirmation))
        # The page the member signed up from (a consultation's ?next=) rides
        # along: confirming the address lands there, even in another browser.
        next_url = _next_url(request)
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site(super().get_reset_password_from_key_url(key))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every allauth e-mail (templates/account/email/): in the member's
        language, greeting them by their display name, with links on SITE_URL."""
        member = context.get("user") or _member_of(email)
        language = getattr(member, "language", "") or get_language() or settings.LANGUAGE_CODE
        context = {
            **context,
            "current_site": _SiteFromSettings(),
            "site_url": settings.SITE_URL,
            "member_name": member.public_name if member is not None else "",
        }
        for name in ("activate_url", "password_reset_url", "signup_url"):
            if isinstance(context.get(name), str):
                context[name] = on_site(context[name])
        with translation.override(language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE):
            super().send_mail(template_prefix, email, context)

    def send_notification_mail(self, template_prefix: str, user, context: dict | None = None, email=None) -> None:
        # allauth leaves the member out of a notification's context: their name and language come with it.
        super().send_notification_mail(template_prefix, user, {**(context or {}), "user": user}, email)

    def format_email_subject(self, subject: str) -> str:
        from allauth.account import app_settings

        if app_settings.EMAIL_SUBJECT_PREFIX is None:
            return f"[{settings.WAGTAIL_SITE_NAME}] {subject}"
        return super().format_email_subject(subject)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{_SiteFromSettings().domain}:{login}"


def user_display(user) -> str:
    """How allauth names a member on its pages and e-mails (ACCOUNT_USER_DISPLAY):
    the display name, never the internal username."""
    return user.public_name


def _member_of(email: str):
    """The account an e-mail goes to, when allauth did not say (account already exists…)."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    return address.user if address else None


def _next_url(request: HttpRequest | None) -> str:
    """The safe, same-site ``next`` of the sign-up form, or ''."""
    if request is None:
        return ""
    value = request.POST.get("next") or request.GET.get("next") or ""
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts=None) and value.startswith("/"):
        return value
    return ""


class _SiteFromSettings:
    """What allauth's e-mails call the current site, from SITE_URL."""

    @property
    def domain(self) -> str:
        return urlsplit(settings.SITE_URL).netloc

    @property
    def name(self) -> str:
        return settings.WAGTAIL_SITE_NAME


def layout_context(member, language: str) -> dict:
    """What the e-mail layout (templates/account/email/base_message.html and .txt) needs
    around a message's own context: the site's name and address, the greeting's name and
    the language; for the site's other e-mails to look like the sign-up ones."""
    return {
        "current_site": _SiteFromSettings(),
        "site_url": settings.SITE_URL,
        "member_name": member.public_name if member is not None else "",
        "LANGUAGE_CODE": language,
    }


def on_site(url: str) -> str:
    """``url`` moved onto SITE_URL (scheme and host): path and query kept."""
    return absolute_url(url, rehost=True)
