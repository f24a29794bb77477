"""Sign-up additions (django-allauth's ACCOUNT_SIGNUP_FORM_CLASS): the public
details asked at sign-up, so that no page ever falls back on something
derived from the e-mail address; and where allauth sends a member afterwards."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_from_path
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"), max_length=80,
        help_text=_("Shown with your contributions, with your city and organisation."),
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=160, required=False)

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
