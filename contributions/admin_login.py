"""The Wagtail admin's login form, throttled with django-allauth's counters.

The admin login authenticates through allauth's backend too, so a member's
e-mail address works there: without this form it was a way around allauth's
lockout. Failed attempts count in allauth's own "login_failed" limits
(``ACCOUNT_RATE_LIMITS``: per client address and per account), the same
counters as the members' login page, keyed on the account whichever of its
user name or e-mail address is typed.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm

from cooperation_hub.compat import consume_allauth_rate_limit, login_attempts_cache_key


def account_login_key(login: str) -> str:
    """The account a login names (user name or e-mail address), as allauth
    keys it: its e-mail address; what was typed when no account matches."""
    login = (login or "").strip()
    user_model = get_user_model()
    user = (
        user_model._default_manager.filter(
            Q(**{user_model.USERNAME_FIELD: login}) | Q(email__iexact=login) | Q(emailaddress__email__iexact=login)
        )
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    return (user.email if user is not None else login).lower()


class AdminLoginForm(LoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Wagtail's field has no label: Django's fallback, "Password", is never translated.
        self.fields["password"].label = gettext_lazy("Password")

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()
        adapter = get_adapter(self.request)
        key = login_attempts_cache_key(adapter, self.request, email=account_login_key(username))
        usage = consume_allauth_rate_limit(self.request, action="login_failed", key=key)
        if not usage:
            raise forms.ValidationError(
                adapter.error_messages["too_many_login_attempts"], code="too_many_login_attempts"
            )
        cleaned = super().clean()  # a wrong password raises: the attempt stays counted
        # A success is not a failure: give the attempt back (as allauth does),
        # rather than wiping the counters, which a guesser could use.
        usage.rollback()
        return cleaned
