"""Sign-up additions (django-allauth's ACCOUNT_SIGNUP_FORM_CLASS): the public
details asked at sign-up, so that no page ever falls back on something
derived from the e-mail address; and where allauth sends a member afterwards."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_from_path
from django.utils.translation import gettext_lazy as _

from .display_names import clean_display_name


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"), max_length=80,
        help_text=_("Shown with your contributions, with your city and organisation."),
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=160, required=False)

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"].strip()
        user.city = self.cleaned_data.get("city", "").strip()
        user.organisation = self.cleaned_data.get("organisation", "").strip()
        language = get_language() or settings.LANGUAGE_CODE
        if language in dict(settings.LANGUAGES):
            user.language = language
        user.save()


class AccountAdapter(DefaultAccountAdapter):
    """Signing in or out on a French page lands on the French home page.

    Account pages live under /fr/ and /en/; the bare "/" would pick a language
    from the browser instead of the one the member was reading in.
    """

    def _home(self, request: HttpRequest) -> str:
        language = get_language_from_path(request.path) or settings.LANGUAGE_CODE
        return f"/{language}/"

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return self._home(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self._home(request)

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        return self._home(request)

    # --- Links in e-mails and rate-limit keys: from SITE_URL, never from the
    # request's Host header (any allowed host, or a forged one, would do).

    def get_client_ip(self, request: HttpRequest) -> str:
        from .ratelimit import client_ip

        return client_ip(request)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation) -> str:
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site(super().get_reset_password_from_key_url(key))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {**context, "current_site": _SiteFromSettings()}
        for name in ("activate_url", "password_reset_url", "signup_url"):
            if isinstance(context.get(name), str):
                context[name] = on_site(context[name])
        super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        from allauth.account import app_settings

        if app_settings.EMAIL_SUBJECT_PREFIX is None:
            return f"[{settings.WAGTAIL_SITE_NAME}] {subject}"
        return super().format_email_subject(subject)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{_SiteFromSettings().domain}:{login}"


class _SiteFromSettings:
    """What allauth's e-mails call the current site, from SITE_URL."""

    @property
    def domain(self) -> str:
        return urlsplit(settings.SITE_URL).netloc

    @property
    def name(self) -> str:
        return settings.WAGTAIL_SITE_NAME


def on_site(url: str) -> str:
    """``url`` moved onto SITE_URL (scheme and host): path and query kept."""
    bits = urlsplit(url)
    return settings.SITE_URL + urlunsplit(("", "", bits.path, bits.query, bits.fragment))
