"""Reports, the moderation queue in the Wagtail admin, the audit trail, and
hidden contributions disappearing everywhere."""

import json

import pytest
from django.http import QueryDict

from contributions import actions
from contributions.models import Contribution, ModerationAction, Report

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db
QUEUE = "/admin/moderation/"


def test_a_signed_in_member_reports_once_with_a_reason(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    client.force_login(other_member)
    url = f"{c.url}report/"
    assert client.post(url, {"reason": "Propos injurieux", "website": ""}).status_code == 302
    report = Report.objects.get(contribution=c)
    assert report.reporter == other_member and report.reason == "Propos injurieux"
    again = client.post(url, {"reason": "Encore", "website": ""})
    assert again.status_code == 409 and "déjà signalé" in again.content.decode()
    assert Report.objects.filter(contribution=c).count() == 1


def test_an_anonymous_visitor_cannot_report(client, consultation, member):
    c = make_contribution(consultation, member)
    assert client.post(f"{c.url}report/", {"reason": "Pas bien du tout", "website": ""}).status_code == 403
    assert not Report.objects.filter(contribution=c).exists()


def test_reports_land_in_the_queue_where_a_moderator_hides_with_a_reason(client, consultation, member, moderator):
    c = make_contribution(consultation, member, title="Contribution signalée")
    actions.report_contribution(make_member("r"), c, "Hors sujet et agressif")
    client.force_login(moderator)
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    html = queue.content.decode()
    assert "Contribution signalée" in html and "Hors sujet et agressif" in html
    # A reason is required.
    refused = client.post(QUEUE, {"contribution": c.pk, "operation": "hide", "reason": ""})
    assert refused.status_code == 400
    c.refresh_from_db()
    assert c.state == Contribution.State.PUBLISHED
    done = client.post(QUEUE, {"contribution": c.pk, "operation": "hide", "reason": "Injures répétées"})
    assert done.status_code == 302
    c.refresh_from_db()
    assert c.state == Contribution.State.HIDDEN
    action = ModerationAction.objects.get(contribution=c)
    assert (action.moderator, action.action, action.reason) == (moderator, "hide", "Injures répétées")
    assert Report.objects.get(contribution=c).resolved_by == moderator
    assert "Injures répétées" in client.get(QUEUE).content.decode()  # the audit trail


def test_the_queue_names_the_consultation_in_the_moderators_language_and_opens_it_there(
    client, consultation, consultation_en, member, moderator
):
    """A contribution written on the English consultation, moderated in the French admin: the
    queue showed the consultation's English title and opened the English page."""
    consultation_en.title = "Sharing flood alerts"
    consultation_en.save_revision().publish()
    c = make_contribution(consultation_en, member, title="Written in English")
    actions.report_contribution(make_member("r"), c, "Hors sujet et agressif")
    client.force_login(moderator)
    html = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Written in English" in html
    assert f"· {consultation.title} ·" in html and "Sharing flood alerts" not in html
    assert f'href="{consultation.url}contributions/{c.pk}/"' in html


def test_a_hidden_contribution_disappears_from_lists_permalink_exports_and_search(
    client, consultation, member, moderator
):
    c = make_contribution(consultation, member, title="Zanzibarquoise cachée", tags=["zanzi"])
    visible = make_contribution(consultation, member, title="Zanzibarquoise visible")
    actions.hide(moderator, c, "Hors charte")
    listing = client.get(consultation.url).content.decode()
    assert "Zanzibarquoise cachée" not in listing and "Zanzibarquoise visible" in listing
    assert client.get(c.url).status_code == 404
    assert "Zanzibarquoise cachée" not in client.get(consultation.url + "synthesis/").content.decode()
    assert "Zanzibarquoise cachée" not in client.get(consultation.url + "export/csv/").content.decode("utf-8-sig")
    exported = json.loads(client.get(consultation.url + "export/json/").content)
    assert [x["title"] for x in exported["contributions"]] == ["Zanzibarquoise visible"]
    assert not Contribution.get_indexed_objects().filter(pk=c.pk).exists()
    assert Contribution.get_indexed_objects().filter(pk=visible.pk).exists()
    from search.service import run_search

    titles = [hit.title for hit in run_search(QueryDict("q=Zanzibarquoise"), "fr").hits]
    assert "Zanzibarquoise cachée" not in titles
    # Its author still sees it, with an explanation.
    client.force_login(member)
    own = client.get(c.url)
    assert own.status_code == 200 and "Un modérateur a masqué cette contribution" in own.content.decode()


def test_a_moderator_restores_with_a_reason_and_it_comes_back(client, consultation, member, moderator):
    c = make_contribution(consultation, member, title="Rétablie ensuite")
    actions.hide(moderator, c, "Par erreur ?")
    client.force_login(moderator)
    hidden = client.get(QUEUE + "?show=hidden").content.decode()
    assert "Rétablie ensuite" in hidden
    client.post(QUEUE + "?show=hidden", {"contribution": c.pk, "operation": "restore", "reason": "Signalement infondé"})
    c.refresh_from_db()
    assert c.state == Contribution.State.PUBLISHED
    assert list(ModerationAction.objects.filter(contribution=c).values_list("action", flat=True)) == ["restore", "hide"]
    client.logout()
    assert "Rétablie ensuite" in client.get(consultation.url).content.decode()


def test_members_without_the_permission_cannot_moderate(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    other_member.is_staff = True  # may enter the admin, but has no moderation permission
    other_member.save()
    client.force_login(other_member)
    response = client.post(QUEUE, {"contribution": c.pk, "operation": "hide", "reason": "Je n'aime pas"})
    assert response.status_code in (302, 403)
    c.refresh_from_db()
    assert c.state == Contribution.State.PUBLISHED


def _reply(contribution, author, body="<p>Une réponse déplacée, avec des injures.</p>"):
    from contributions.models import Reply

    return Reply.objects.create(contribution=contribution, author=author, body=body)


def test_a_member_reports_a_reply_on_its_own_page_and_keeps_the_reason_when_refused(
    client, consultation, member, other_member
):
    c = make_contribution(consultation, member)
    reply = _reply(c, member)
    url = f"{c.url}replies/{reply.pk}/report/"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(other_member)
    permalink = client.get(c.url).content.decode()
    assert url in permalink  # each reply offers its report link to the other members
    page = client.get(url)
    assert page.status_code == 200 and "Une réponse déplacée" in page.content.decode()
    short = client.post(url, {"reason": "Bof", "website": ""})
    assert short.status_code == 400 and "Bof</textarea>" in short.content.decode()
    mine = Report.objects.filter(reporter=other_member)  # (the demo holds a report of its own)
    assert not mine.exists()
    done = client.post(url, {"reason": "Injures envers une ville partenaire", "website": ""})
    assert done.status_code == 302 and done["Location"] == c.url
    assert "les modérateurs vont examiner cette réponse" in client.get(c.url).content.decode()
    report = mine.get()
    assert (report.reply, report.contribution, report.reporter) == (reply, c, other_member)
    again = client.post(url, {"reason": "Toujours des injures", "website": ""})
    assert again.status_code == 409 and "déjà signalé cette réponse" in again.content.decode()
    # Reporting the contribution itself is a separate report.
    actions.report_contribution(other_member, c, "La contribution aussi")
    assert mine.count() == 2


def test_a_reply_is_not_offered_for_reporting_to_its_author(client, consultation, member, other_member):
    c = make_contribution(consultation, other_member)
    reply = _reply(c, member)
    client.force_login(member)
    assert f"replies/{reply.pk}/report/" not in client.get(c.url).content.decode()


def test_a_moderator_hides_a_reported_reply_and_only_the_reply_disappears(
    client, consultation, member, other_member, moderator
):
    c = make_contribution(consultation, member, title="Fil avec une réponse signalée")
    _reply(c, other_member, "<p>Une réponse utile.</p>")
    reported = _reply(c, other_member)
    actions.report_reply(make_member("r"), reported, "Injures envers une ville partenaire")
    actions.report_contribution(make_member("s"), c, "Je ne suis pas d'accord")
    client.force_login(moderator)
    queue = client.get(QUEUE).content.decode()
    assert "Injures envers une ville partenaire" in queue and "Une réponse déplacée" in queue
    done = client.post(QUEUE, {"reply": reported.pk, "operation": "hide", "reason": "Injures, hors charte"})
    assert done.status_code == 302
    reported.refresh_from_db()
    c.refresh_from_db()
    assert reported.state == Contribution.State.HIDDEN and c.state == Contribution.State.PUBLISHED
    assert ModerationAction.objects.get(reply=reported).reason == "Injures, hors charte"
    assert Report.objects.get(reply=reported).resolved_by == moderator
    assert Report.objects.get(reply=None).resolved_at is None  # the contribution's own report still waits
    client.logout()
    page = client.get(c.url).content.decode()
    assert "Une réponse utile." in page and "Une réponse déplacée" not in page
    assert "1 réponse" in page
    # Hidden replies are listed apart, and can be restored with a reason.
    client.force_login(moderator)
    assert "Une réponse déplacée" in client.get(QUEUE + "?show=hidden").content.decode()
    client.post(QUEUE + "?show=hidden", {"reply": reported.pk, "operation": "restore", "reason": "Après relecture"})
    reported.refresh_from_db()
    assert reported.state == Contribution.State.PUBLISHED
    client.logout()
    assert "Une réponse déplacée" in client.get(c.url).content.decode()
