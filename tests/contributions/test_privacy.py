"""A member's personal data (GDPR): the privacy page, downloading one's data,
and erasing an account from the profile page or the Wagtail admin, which keeps
the consultation's record readable under "Former participant"."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from contributions.models import Contribution, NotificationPreference, Reply, Report, Support
from subscriptions.models import DigestDelivery, Subscription

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-42"  # make_member's


@pytest.fixture
def busy_member(consultation, member, other_member):
    """Alice took part in every way; Bob's own activity must never show up in her export."""
    mine = make_contribution(consultation, member, title="Alice's idea on solar schools", tags=["energy"])
    theirs = make_contribution(consultation, other_member, title="Bob's idea on water")
    Reply.objects.create(contribution=theirs, author=member, body="Alice answers Bob.")
    Reply.objects.create(contribution=mine, author=other_member, body="Bob answers Alice.")
    Support.objects.create(contribution=theirs, user=member)
    Support.objects.create(contribution=mine, user=other_member)
    Report.objects.create(contribution=theirs, reporter=member, reason="Alice thinks this is off-topic.")
    Report.objects.create(contribution=mine, reporter=other_member, reason="Bob reports Alice.")
    NotificationPreference.objects.create(user=member, email_on_reply=False)
    Subscription.objects.create(email=member.email.upper(), confirmed_at=mine.created_at, tags=["solar"])
    Subscription.objects.create(email=other_member.email, confirmed_at=mine.created_at, tags=["water"])
    return member


# --- Download ------------------------------------------------------------------------
def test_a_member_downloads_their_data_and_nobody_elses(client, busy_member, other_member):
    assert client.get("/fr/accounts/profile/data/").status_code == 302  # sign in first
    client.force_login(busy_member)
    response = client.get("/fr/accounts/profile/data/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == busy_member.email
    assert data["profile"]["display_name"] == busy_member.display_name
    assert data["profile"]["organisation"] == "Ville de Dakar"
    assert [c["title"] for c in data["contributions"]] == ["Alice's idea on solar schools"]
    assert data["contributions"][0]["tags"] == ["energy"]
    assert [r["text"] for r in data["replies"]] == ["Alice answers Bob."]
    assert [s["contribution"] for s in data["supports"]] == ["Bob's idea on water"]
    assert [r["reason"] for r in data["reports"]] == ["Alice thinks this is off-topic."]
    assert [s["email"] for s in data["subscriptions"]] == [busy_member.email.lower()]
    assert data["notification_preferences"] == {"email_on_reply": False}
    text = response.content.decode()
    for someone_elses in (other_member.email, other_member.display_name, "Bob answers Alice", "Bob reports Alice"):
        assert someone_elses not in text


def test_the_profile_page_offers_the_download_and_the_deletion(client, member):
    client.force_login(member)
    page = client.get("/en/accounts/profile/").content.decode()
    assert 'href="/en/accounts/profile/data/"' in page
    assert 'href="/en/accounts/profile/delete/"' in page
    assert 'href="/en/privacy/"' in page


# --- Erasure from the profile page ---------------------------------------------------
def test_deleting_an_account_keeps_the_consultation_readable(
    client, consultation, consultation_en, busy_member, other_member
):
    mine = Contribution.objects.get(author=busy_member)
    theirs = Contribution.objects.get(author=other_member)
    client.force_login(busy_member)

    confirm = client.get("/en/accounts/profile/delete/")
    assert confirm.status_code == 200 and "Former participant" in confirm.content.decode()
    response = client.post("/en/accounts/profile/delete/", {"password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/en/"
    assert not get_user_model().objects.filter(pk=busy_member.pk).exists()
    assert not EmailAddress.objects.filter(email=busy_member.email).exists()
    assert not NotificationPreference.objects.filter(user_id=busy_member.pk).exists()
    # Her contributions and replies stay, attributed to the placeholder with no personal field.
    mine.refresh_from_db()
    placeholder = mine.author
    assert placeholder.is_former_participant and not placeholder.is_active and not placeholder.has_usable_password()
    assert (placeholder.email, placeholder.display_name, placeholder.city, placeholder.organisation) == ("", "", "", "")
    assert Reply.objects.get(body="Alice answers Bob.").author == placeholder
    # Supports are still counted; Bob's support of her contribution too.
    assert Support.objects.filter(contribution=theirs).count() == 1
    assert Support.objects.filter(contribution=mine).count() == 1
    assert Report.objects.filter(contribution=theirs, reporter__isnull=True).count() == 1
    # Her digest subscription (same address, any case) is gone; Bob's is not.
    assert list(Subscription.objects.values_list("email", flat=True)) == [other_member.email]

    # Signed out, with a message that says what happened.
    home = client.get("/en/")
    assert "Your account is deleted" in home.content.decode()
    assert "1 contribution and 1 reply" in home.content.decode()
    assert client.get("/en/accounts/profile/").status_code == 302

    # The consultation page renders her contribution under "Former participant", in both languages.
    for url, label in ((consultation_en.url, "Former participant"), (consultation.url, "Ancien participant")):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Alice&#x27;s idea on solar schools" in html or "Alice's idea on solar schools" in html
        assert label in html
        assert busy_member.display_name not in html
    detail = client.get(mine.get_url("en")).content.decode()
    assert "Former participant" in detail and busy_member.display_name not in detail


def test_a_wrong_password_deletes_nothing(client, busy_member):
    client.force_login(busy_member)
    response = client.post("/fr/accounts/profile/delete/", {"password": "not-my-password"})
    assert response.status_code == 400
    assert "Ce n’est pas votre mot de passe" in response.content.decode()
    assert get_user_model().objects.filter(pk=busy_member.pk).exists()
    assert Contribution.objects.filter(author=busy_member).exists()
    assert client.get("/fr/accounts/profile/").status_code == 200  # still signed in


def test_two_erased_members_can_support_the_same_contribution(consultation, member, other_member):
    from accounts.privacy import erase_member

    third = make_member("carol")
    target = make_contribution(consultation, third, title="Something both supported")
    Support.objects.create(contribution=target, user=member)
    Support.objects.create(contribution=target, user=other_member)
    erase_member(member)
    erase_member(other_member)
    assert Support.objects.filter(contribution=target).count() == 2


# --- Erasure from the Wagtail admin -------------------------------------------------
def test_the_admin_deletes_a_member_with_contributions_instead_of_answering_500(client, moderator, busy_member):
    mine = Contribution.objects.get(author=busy_member)
    client.force_login(moderator)
    url = reverse("wagtailusers_users:delete", args=[busy_member.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'type="submit"' in confirm.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=busy_member.pk).exists()
    mine.refresh_from_db()
    assert mine.author.is_former_participant
    assert not Subscription.objects.filter(email=busy_member.email.lower()).exists()


def test_the_admin_bulk_delete_erases_members_too(client, moderator, busy_member, other_member):
    client.force_login(moderator)
    url = reverse("wagtail_bulk_action", args=["cooperation_hub", "user", "delete"])
    url += f"?next=/admin/users/&id={busy_member.pk}&id={other_member.pk}"
    response = client.post(url)
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk__in=[busy_member.pk, other_member.pk]).exists()
    assert Contribution.objects.filter(author__username__startswith="~").count() == 2


def test_the_placeholder_itself_cannot_be_erased(client, moderator, busy_member):
    from accounts.privacy import erase_member, former_participant

    erase_member(busy_member)
    placeholder = former_participant()
    client.force_login(moderator)
    response = client.post(reverse("wagtailusers_users:delete", args=[placeholder.pk]))
    assert response.status_code == 302
    assert get_user_model().objects.filter(pk=placeholder.pk).exists()
    assert Contribution.objects.filter(author=placeholder).exists()


# --- The privacy page ----------------------------------------------------------------
def test_the_privacy_page_says_what_is_kept_for_how_long_in_both_languages(client, demo, settings):
    settings.SUBSCRIPTION_RETENTION_DAYS = 45
    settings.PRIVACY_CONTACT_EMAIL = "dpo@ville.example"
    fr = client.get("/fr/privacy/")
    en = client.get("/en/privacy/")
    assert fr.status_code == en.status_code == 200
    fr, en = fr.content.decode(), en.content.decode()
    assert 'lang="fr"' in fr and "Données personnelles" in fr and "45&nbsp;jours" in fr and "CNIL" in fr
    assert 'lang="en"' in en and "Privacy and personal data" in en and "45 days" in en
    assert "mailto:dpo@ville.example" in fr and "mailto:dpo@ville.example" in en


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_privacy_page_is_linked_from_footer_sign_up_and_subscribe(client, demo, language):
    link = f'href="/{language}/privacy/"'
    for path in (f"/{language}/", f"/{language}/accounts/signup/", f"/{language}/subscribe/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert link in html, path
    signup = client.get(f"/{language}/accounts/signup/").content.decode()
    subscribe = client.get(f"/{language}/subscribe/").content.decode()
    # Besides the footer: a sentence next to each form.
    assert signup.count(link) == 2 and subscribe.count(link) == 2


def test_erasing_a_member_leaves_no_delivery_ledger_of_their_address(busy_member):
    from django.utils import timezone

    from accounts.privacy import erase_member

    sub = Subscription.objects.get(email=busy_member.email.lower())
    now = timezone.now()
    DigestDelivery.objects.create(
        subscription=sub,
        frequency="weekly",
        period_start=now,
        period_end=now,
        last_error=f"550 {busy_member.email} unknown",
    )
    erase_member(busy_member)
    assert not DigestDelivery.objects.filter(last_error__contains=busy_member.email).exists()
