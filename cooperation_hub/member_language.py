"""The language a member is written to: the one they last signed in with, until they choose one.

Wagtail writes its workflow e-mails (a report awaiting review, approved, sent back) in each
recipient's "preferred language", and for a member who never chose one, in the language of
whoever acted: a French officer's submission reached an English-speaking reviewer in French.
Signing in is when the site learns a member's language, so it is kept then, and only where
the member has not chosen one in their account settings.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def remember_language(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: keep the language of the sign-in as the member's preferred
    language when they have none."""
    from wagtail.users.models import UserProfile

    # The language the request was read in (LocaleMiddleware): a sign-in made outside a reader's
    # request (a test's force_login, a script) has none and teaches nothing.
    language = getattr(request, "LANGUAGE_CODE", None)
    if language not in dict(settings.LANGUAGES):
        return
    profile = UserProfile.get_for_user(user)
    if not profile.preferred_language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
