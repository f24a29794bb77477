"""allauth's e-mails, branded: the site's name (never a host) in the subject, a text
and an HTML part, the member's display name and language; confirming signs in
and goes back to the consultation the member came from."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-42"


def _sign_up(client, lang="fr", next_url="", email="nadia@example.org"):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Nadia B.", "city": "Rabat"}
    if next_url:
        data["next"] = next_url
    return client.post(f"/{lang}/accounts/signup/", data)


def _html(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


@pytest.mark.parametrize("lang, words", [("fr", "Confirmez votre adresse"), ("en", "Confirm your e-mail address")])
def test_the_confirmation_email_is_branded_in_the_members_language(client, mailoutbox, lang, words):
    _sign_up(client, lang)
    [message] = mailoutbox
    assert message.subject.startswith("[Cooperation Hub] ") and words in message.subject
    assert "127.0.0.1" not in message.subject and "testserver" not in message.subject
    user = get_user_model().objects.get(email="nadia@example.org")
    html = _html(message)
    for part in (message.body, html):
        assert "Nadia B." in part and "Cooperation Hub" in part
        assert user.username not in part.replace("nadia@example.org", "")
        assert "/accounts/confirm-email/" in part
    assert f'lang="{lang}"' in html and "<a href=" in html


def test_confirming_signs_in_and_goes_back_to_the_consultation(client, consultation, mailoutbox):
    response = _sign_up(client, "fr", next_url=consultation.url)
    assert response.status_code == 302
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[0].body).group(0)
    assert "next=" in link
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    confirm_page = client.get(path)
    assert confirm_page.status_code == 200 and "Nadia B." in confirm_page.content.decode()
    confirmed = client.post(path, {"next": consultation.url})
    assert confirmed.status_code == 302 and confirmed["Location"] == consultation.url
    page = client.get(consultation.url).content.decode()
    assert "Publier ma contribution" in page  # signed in, verified: the form is there


def test_confirming_in_another_browser_still_goes_back_to_the_consultation(client, consultation, mailoutbox):
    from django.test import Client

    _sign_up(client, "fr", next_url=consultation.url)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    other = Client()
    confirmed = other.post(path.split("?")[0], {"next": consultation.url})
    assert confirmed.status_code == 302 and confirmed["Location"] == consultation.url


def test_an_unsafe_next_is_not_carried_by_the_link(client, mailoutbox):
    _sign_up(client, "en", next_url="https://evil.example/")
    assert "evil" not in mailoutbox[0].body


def test_every_account_email_is_branded(client, mailoutbox):
    from .conftest import make_member

    member = make_member("carla", language="en", display_name="Carla M.")
    # Account already exists (sign-up with a known address), in the member's language.
    _sign_up(client, "fr", email=member.email)
    # Password reset (known and unknown addresses).
    client.post("/fr/accounts/password/reset/", {"email": member.email})
    client.post("/fr/accounts/password/reset/", {"email": "nobody@example.org"})
    # Password changed.
    client.force_login(member)
    client.post(
        "/en/accounts/password/change/",
        {"oldpassword": "a-long-test-password-42", "password1": PASSWORD, "password2": PASSWORD},
    )
    subjects = [m.subject for m in mailoutbox]
    assert subjects == [
        "[Cooperation Hub] You already have an account",
        "[Cooperation Hub] Choose a new password",
        "[Cooperation Hub] Aucun compte n’utilise cette adresse",
        "[Cooperation Hub] Your password has been changed",
    ]
    for message in mailoutbox:
        html = _html(message)
        assert "Cooperation Hub" in message.body and "Cooperation Hub" in html
        assert "testserver" not in message.body
    for message in mailoutbox[:2] + mailoutbox[3:]:
        assert "Carla M." in message.body and "Carla M." in _html(message)
        assert member.username not in message.body.replace(member.email, "")
