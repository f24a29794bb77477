"""Walked as an officer and a reviewer: Wagtail's workflow e-mails greeted them "Salut officer,"
(the familiar form, and the internal username) and said "par officer". They now greet and credit
people by the name they chose, in the register of the rest of the site."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation
from wagtail.users.models import UserProfile

from experiences.models import ExperiencePage

pytestmark = pytest.mark.django_db


def test_the_reviewer_is_greeted_by_name_when_a_report_awaits_review(demo):
    User = get_user_model()
    officer, reviewer = User.objects.get(username="officer"), User.objects.get(username="reviewer")
    page = ExperiencePage.objects.live().filter(locale__language_code="fr").first()
    page.save_revision(user=officer)
    mail.outbox.clear()
    # A reviewer without a language preference is written to in the language the officer works
    # in (Wagtail's UserProfile.get_preferred_language): here the admin in French.
    with translation.override("fr"):
        page.get_workflow().start(page, user=officer)
    to_reviewer = [m for m in mail.outbox if reviewer.email in m.to]
    assert to_reviewer, [m.to for m in mail.outbox]
    body = to_reviewer[0].body
    assert "Bonjour Awa Ndiaye," in body
    assert "Salut" not in body and "reviewer," not in body


def test_members_are_known_by_their_display_name_and_fall_back_to_the_username():
    User = get_user_model()
    assert User(username="officer", display_name="Camille Martin").get_full_name() == "Camille Martin"
    assert User(username="officer", display_name="Camille Martin").get_short_name() == "Camille Martin"
    assert User(username="x", first_name="Ada", last_name="Lovelace").get_full_name() == "Ada Lovelace"
    assert User(username="x").public_name == "x"


@pytest.mark.parametrize(("language", "greeting"), [("en", "Hello Awa Ndiaye,"), ("fr", "Bonjour Awa Ndiaye,")])
def test_a_reviewer_is_written_to_in_the_language_they_signed_in_with(demo, client, language, greeting):
    """Not in the language of the officer who submitted (member_language.remember_language)."""
    User = get_user_model()
    officer, reviewer = User.objects.get(username="officer"), User.objects.get(username="reviewer")
    reviewer.set_password("a long enough password 1")
    reviewer.save()
    UserProfile.objects.update_or_create(user=reviewer, defaults={"preferred_language": ""})
    response = client.post(
        "/admin/login/", {"username": "reviewer", "password": "a long enough password 1"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 302
    page = ExperiencePage.objects.live().filter(locale__language_code="fr").first()
    page.save_revision(user=officer)
    mail.outbox.clear()
    other = "fr" if language == "en" else "en"
    with translation.override(other):
        page.get_workflow().start(page, user=officer)
    body = next(m for m in mail.outbox if reviewer.email in m.to).body
    assert greeting in body, body


def test_a_language_chosen_in_the_account_settings_is_kept_at_sign_in(demo, client):
    User = get_user_model()
    reviewer = User.objects.get(username="reviewer")
    reviewer.set_password("a long enough password 1")
    reviewer.save()
    UserProfile.objects.update_or_create(user=reviewer, defaults={"preferred_language": "fr"})
    client.post(
        "/admin/login/", {"username": "reviewer", "password": "a long enough password 1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert UserProfile.objects.get(user=reviewer).preferred_language == "fr"
