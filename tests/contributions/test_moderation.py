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


def test_a_hidden_contribution_disappears_from_lists_permalink_exports_and_search(client, consultation, member, moderator):
    c = make_contribution(consultation, member, title="Zanzibarquoise cachée", tags=["zanzi"])
    visible = make_contribution(consultation, member, title="Zanzibarquoise visible")
    actions.hide_contribution(moderator, c, "Hors charte")
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
    actions.hide_contribution(moderator, c, "Par erreur ?")
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
