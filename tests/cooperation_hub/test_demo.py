"""What a newcomer meets after `make run`: a consultation open today (and still
open when the demo is loaded again years later), the founding one closed, and
one account per role that signs in and reaches what its role is for."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import GroupApprovalTask

from contributions.models import ConsultationPage, Contribution
from cooperation_hub.demo import DEMO_ACCOUNTS, load_demo, load_open_consultation_data
from experiences.models import ExperienceIndexPage

pytestmark = pytest.mark.django_db

OPEN = load_open_consultation_data()["external_id"]
FOUNDING = "ville-intelligente-cooperation-decentralisee"
CONTRIBUTION = {
    "title": "Un jumelage climat entre Annecy et Saint-Louis",
    "body": "Partageons nos plans canicule.",
    "tags": "adaptation",
    "section": "",
    "website": "",
}


def _password(username: str) -> str:
    return (settings.VAR_DIR / f"demo-{username}-password.txt").read_text().strip()


def _open_consultation(language: str = "fr") -> ConsultationPage:
    return ConsultationPage.objects.get(external_id=OPEN, locale__language_code=language)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_demo_has_a_consultation_open_today_and_the_founding_one_closed(client, demo, language):
    page = _open_consultation(language)
    assert page.window_state() == "open"
    assert page.closes_at - timezone.now() > timedelta(days=20)
    assert ConsultationPage.objects.get(external_id=FOUNDING, locale__language_code=language).window_state() == "closed"
    index = client.get(page.get_parent().url).content.decode()
    founding = ConsultationPage.objects.get(external_id=FOUNDING, locale__language_code=language)
    assert index.index(escape(page.title)) < index.index(escape(founding.title))  # the open one comes first
    html = client.get(page.url).content.decode()
    assert "badge-open" in html
    assert not any(year in page.introduction for year in ("2018", "2019"))  # no date that could contradict its window
    assert Contribution.objects.filter(consultation__translation_key=page.translation_key).count() == 2
    assert all(
        page.opens_at <= c.created_at < timezone.now()
        for c in Contribution.objects.filter(consultation__translation_key=page.translation_key)
    )


def test_loading_the_demo_two_years_later_keeps_the_consultation_open(demo):
    later = timezone.localdate() + timedelta(days=730)
    load_demo(today=later)
    page = _open_consultation()
    noon_that_day = timezone.make_aware(timezone.datetime.combine(later, timezone.datetime.min.time())) + timedelta(
        hours=12
    )
    assert page.window_state(now=noon_that_day) == "open"
    assert _open_consultation("en").window_state(now=noon_that_day) == "open"
    # Its demo contributions moved with the window; the founding consultation did not move.
    for contribution in Contribution.objects.filter(consultation__translation_key=page.translation_key):
        assert page.opens_at <= contribution.created_at <= noon_that_day + timedelta(hours=12)
    founding = ConsultationPage.objects.get(external_id=FOUNDING, locale__language_code="fr")
    assert timezone.localtime(founding.closes_at).date().isoformat() == "2020-01-01"  # after 31 December 2019
    assert founding.window_state(noon_that_day) == "closed"
    # The admin's edit form shows the new window too: it was published as a revision.
    assert page.get_latest_revision_as_object().closes_at == page.closes_at


def test_loading_the_demo_again_the_same_day_publishes_nothing_new(demo):
    # The same day twice (the session's demo may have been loaded before midnight, Paris time).
    today = timezone.localdate().isoformat()
    call_command("load_demo", verbosity=0, today=today)
    before = list(ConsultationPage.objects.order_by("pk").values_list("pk", "latest_revision_id"))
    call_command("load_demo", verbosity=0, today=today)
    assert list(ConsultationPage.objects.order_by("pk").values_list("pk", "latest_revision_id")) == before


def test_load_demo_prints_every_account_with_its_password_on_the_site_url(demo, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert f"{settings.SITE_URL}/admin/" in out
    for account in DEMO_ACCOUNTS:
        assert account.email in out and f"'{_password(account.username)}'" in out


def _admin_login(client, username: str):
    response = client.post("/admin/login/", {"username": username, "password": _password(username)})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_the_officer_signs_in_to_the_admin_and_can_draft_a_report_but_not_publish_it(client, demo):
    _admin_login(client, "officer")
    assert client.get("/admin/").status_code == 200
    index = ExperienceIndexPage.objects.get(locale__language_code="fr")
    add = client.get(f"/admin/pages/add/experiences/experiencepage/{index.pk}/")
    assert add.status_code == 200
    assert 'name="action-submit"' in add.content.decode()  # "Submit for review"…
    officer = add.wsgi_request.user
    permissions = index.permissions_for_user(officer)
    assert permissions.can_add_subpage() and not permissions.can_publish_subpage()  # …not "Publish"


def test_every_demo_account_can_save_its_admin_account_settings(demo):
    """Walked: the demo accounts had no first and last names, which Wagtail's account page asks
    for, so saving it (to change one's language) was refused with "This field is required"."""
    from django.contrib.auth import get_user_model
    from wagtail.admin.forms.account import NameEmailForm

    for username in ["admin", *(account.username for account in DEMO_ACCOUNTS)]:
        user = get_user_model().objects.get(username=username)
        # What the page posts back, unchanged: the names and address it was shown.
        shown = NameEmailForm(instance=user).initial
        assert NameEmailForm(instance=user, data=shown).is_valid(), username


def test_the_reviewer_approves_in_the_review_workflow(client, demo):
    _admin_login(client, "reviewer")
    reviewer = client.get("/admin/").wsgi_request.user
    assert GroupApprovalTask.objects.filter(groups__user=reviewer).exists()
    assert (
        ExperienceIndexPage.objects.get(locale__language_code="en").permissions_for_user(reviewer).can_publish_subpage()
    )


def test_the_moderator_reaches_the_moderation_queue_and_the_contributor_does_not(client, demo):
    _admin_login(client, "moderator")
    response = client.get("/admin/moderation/")
    assert response.status_code == 200
    # Something waits for a decision: a demo reply advertising a product, reported by a member
    # (walked as the moderator, the queue was empty: nothing to try without staging a report).
    assert response.context["reported_count"] == 1
    assert "SmartBins Pro" in response.content.decode()
    # Moderating contributions is all: no page to add or publish (not Wagtail's own "Moderators").
    permissions = ExperienceIndexPage.objects.get(locale__language_code="fr").permissions_for_user(
        response.wsgi_request.user
    )
    assert not permissions.can_add_subpage() and not permissions.can_publish_subpage()
    client.logout()
    client.post(
        "/en/accounts/login/", {"login": "contributor@cooperation-hub.example", "password": _password("contributor")}
    )
    assert client.get("/admin/moderation/").status_code in (302, 403)


def test_the_contributor_signs_in_with_the_printed_password_and_contributes(client, demo):
    response = client.post(
        "/en/accounts/login/", {"login": "contributor@cooperation-hub.example", "password": _password("contributor")}
    )
    assert response.status_code == 302 and "/accounts/confirm-email/" not in response["Location"]
    page = _open_consultation("en")
    response = client.post(page.url, CONTRIBUTION)
    assert response.status_code == 302
    contribution = Contribution.objects.get(title=CONTRIBUTION["title"])
    assert contribution.author.username == "contributor" and contribution.consultation == page
