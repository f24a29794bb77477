"""Accounts: sign-up with e-mail verification (allauth), the profile page."""

import re

import pytest

from contributions.models import Contribution, NotificationPreference

pytestmark = pytest.mark.django_db

BODY = {"title": "Une première idée", "body": "Un texte suffisamment long pour être accepté.", "website": ""}


def test_sign_up_requires_verification_before_contributing(client, consultation, mailoutbox):
    from django.contrib.auth import get_user_model

    response = client.post(
        "/fr/accounts/signup/",
        {
            "email": "nouvelle@example.org",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
            "display_name": "Nadia B.",
            "city": "Rabat",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nouvelle@example.org")
    assert (user.display_name, user.city, user.language) == ("Nadia B.", "Rabat", "fr")
    assert len(mailoutbox) == 1
    # Not verified yet: not signed in, and a forced session is refused too.
    refused = client.post(consultation.url, BODY)
    assert refused.status_code == 403
    client.force_login(user)
    refused = client.post(consultation.url, BODY)
    assert refused.status_code == 403 and "Confirmez votre adresse e-mail" in refused.content.decode()
    assert not Contribution.objects.filter(consultation=consultation).exists()
    # The link in the e-mail verifies the address; then contributing works.
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mailoutbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert client.post(consultation.url, BODY).status_code == 302
    assert Contribution.objects.filter(consultation=consultation, author=user).exists()


def test_the_account_pages_use_the_site_layout_in_both_languages(client):
    fr = client.get("/fr/accounts/login/").content.decode()
    en = client.get("/en/accounts/login/").content.decode()
    assert 'class="site-header"' in fr and 'lang="fr"' in fr
    assert 'class="site-header"' in en and 'lang="en"' in en


def test_the_profile_page_edits_public_details_and_the_reply_opt_out(client, member):
    assert client.get("/fr/accounts/profile/").status_code == 302  # sign in first
    client.force_login(member)
    page = client.get("/fr/accounts/profile/")
    assert page.status_code == 200 and "Nom affiché" in page.content.decode()
    # The reply opt-out box sits before its label on one line, as every form of the site lays it
    # out (on a phone the profile put the box on a line of its own above its label).
    assert re.search(r'<div class="check"><input type="checkbox"[^>]*> <label for="[^"]+">', page.content.decode())
    response = client.post(
        "/fr/accounts/profile/",
        {"display_name": "Alice D.", "city": "Ouagadougou", "organisation": "Mairie", "language": "en"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.city, member.language) == ("Alice D.", "Ouagadougou", "en")
    assert NotificationPreference.wants_reply_emails(member) is False  # the box was left unticked
    bad = client.post("/en/accounts/profile/", {"display_name": "", "language": "xx"})
    assert bad.status_code == 400 and "Please correct" in bad.content.decode()


def test_a_member_without_a_display_name_is_asked_to_choose_one(client, consultation):
    from .conftest import make_member

    client.force_login(make_member("anonymous", display_name=""))
    response = client.post(consultation.url, BODY)
    assert response.status_code == 403 and "nom affiché" in response.content.decode()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_signing_in_and_out_stays_in_the_language_of_the_page(client, member, lang):
    """Whatever the browser prefers, a member who signs in on French pages stays on French pages."""
    browser_prefers = {"HTTP_ACCEPT_LANGUAGE": "en" if lang == "fr" else "fr"}
    signed_in = client.post(
        f"/{lang}/accounts/login/", {"login": member.email, "password": "a-long-test-password-42"}, **browser_prefers
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == f"/{lang}/"
    signed_out = client.post(f"/{lang}/accounts/logout/", **browser_prefers)
    assert signed_out.status_code == 302 and signed_out["Location"] == f"/{lang}/"
