"""The forms of a member's account: the details asked at sign-up
(ACCOUNT_SIGNUP_FORM_CLASS), and the confirmation given before erasure."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contributions.display_names import clean_display_name


class SignupForm(forms.Form):
    """The public details asked at sign-up, so that no page ever falls back on
    something derived from the e-mail address."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
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


class EraseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is really you."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password: your account is unchanged."))
        return password
