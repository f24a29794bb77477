"""Outcomes become knowledge: asked once at each milestone, answered on the site, made a draft report under review."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from experiences.models import ExperiencePage
from partnerships import outcomes
from partnerships.models import OutcomeRequest, Partnership
from partnerships.services import start_partnership
from partnerships.tasks import ask_for_outcomes

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(cities, django_user_model):
    """A partnership started seven months ago, whose two linked reports have owners (one per city)."""
    lorient_officer = django_user_model.objects.create_user("lo-officer", "lo@example.org", "x", language="fr")
    danang_officer = django_user_model.objects.create_user("dn-officer", "dn@example.org", "x", language="en")
    lorient_report = ExperiencePage.objects.filter(city=cities["Lorient"], locale__language_code="fr").first()
    danang_report = ExperiencePage.objects.filter(city=cities["Da Nang"], locale__language_code="en").first()
    ExperiencePage.objects.filter(pk=lorient_report.pk).update(owner=lorient_officer)
    ExperiencePage.objects.filter(pk=danang_report.pk).update(owner=danang_officer)
    partnership = start_partnership(
        cities=[cities["Lorient"], cities["Da Nang"]],
        themes=["energy-climate"],
        sdgs=[7],
        kind="technical-cooperation",
        reports=[lorient_report, danang_report],
        status="active",
        title="Schools and floods",
        start_date=timezone.localdate() - relativedelta(months=7),
    )
    return {"partnership": partnership, "lorient": lorient_officer, "danang": danang_officer}


def test_milestones():
    start = datetime.date(2025, 1, 15)
    p = Partnership(status="active", start_date=start, end_date=datetime.date(2026, 1, 15))
    assert outcomes.milestones_due(p, datetime.date(2025, 7, 14)) == []
    assert outcomes.milestones_due(p, datetime.date(2025, 7, 15)) == ["six-months"]
    # Walked: a partnership first seen once ended sent two near-identical e-mails the same second.
    assert outcomes.milestones_due(p, datetime.date(2026, 1, 15)) == ["end"]
    assert outcomes.milestones_due(Partnership(status="exploring", start_date=start), datetime.date(2030, 1, 1)) == []


def test_each_side_is_asked_once_in_its_language(running, mailoutbox):
    partnership = running["partnership"]
    first = ask_for_outcomes()
    assert first["written"] == first["sent"] >= 2  # the demo's partnerships may be due too
    assert OutcomeRequest.objects.filter(partnership=partnership).count() == 2
    assert ask_for_outcomes() == {"written": 0, "sent": 0, "failed": 0, "retry": 0}  # beat again: nothing twice
    mine = [m for m in mailoutbox if "Schools and floods" in m.subject]
    assert sorted(m.to[0] for m in mine) == ["dn@example.org", "lo@example.org"]
    french = next(m for m in mine if m.to == ["lo@example.org"])
    assert "Un court bilan" in french.subject and "/fr/partnerships/outcome/" in french.body
    english = next(m for m in mine if m.to == ["dn@example.org"])
    assert "/en/partnerships/outcome/" in english.body
    assert set(OutcomeRequest.objects.filter(partnership=partnership).values_list("state", flat=True)) == {"sent"}


def test_a_failed_send_is_retried_then_left_failed(running, settings, monkeypatch):
    settings.PARTNERSHIP_OUTCOME_MAX_ATTEMPTS = 2

    def refuse(self, fail_silently=False):
        raise OSError("421 try later")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    first = ask_for_outcomes()
    assert first["retry"] == first["written"] and first["sent"] == 0
    assert ask_for_outcomes()["failed"] == first["written"]
    rows = OutcomeRequest.objects.filter(partnership=running["partnership"])
    assert {(r.state, r.attempts, r.last_error) for r in rows} == {("failed", 2, "421 try later")}


def test_the_answer_becomes_a_draft_report_under_review(running, client, django_user_model):
    ask_for_outcomes()
    row = OutcomeRequest.objects.get(partnership=running["partnership"], recipient=running["lorient"])
    url = f"/fr/partnerships/outcome/{row.token}/"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(running["danang"])
    assert client.get(url).status_code == 404  # not the member it was sent to
    client.force_login(running["lorient"])
    assert client.get(url).status_code == 200
    before = ExperiencePage.objects.count()
    refused = client.post(url, {"what_exchanged": "x" * 2001, "what_changed": ""})
    assert refused.status_code == 400 and ExperiencePage.objects.count() == before
    done = client.post(
        url,
        {
            "what_exchanged": "Sensor set-ups & dashboards",
            "what_changed": "Schools cut heating by a tenth.",
            "do_differently": "Involve the caretakers from the start.",
        },
    )
    assert done.status_code == 200 and "brouillon" in done.content.decode()
    row.refresh_from_db()
    report = row.draft_report
    assert report is not None and not report.live and report.workflow_in_progress
    assert report.city.name == "Lorient" and [p.city.name for p in report.partner_cities.all()] == ["Da Nang"]
    assert report.locale.language_code == "fr" and report.owner == running["lorient"]
    assert report.lessons == "Involve the caretakers from the start."
    assert "Sensor set-ups &amp; dashboards" in str(report.body)
    assert [t.slug for t in report.themes.all()] == ["energy-climate"]
    assert running["partnership"].reports.filter(pk=report.pk).exists()
    # Answering again edits the answer, not a second report.
    client.post(url, {"what_changed": "Schools cut heating by a fifth."})
    assert ExperiencePage.objects.count() == before + 1


def test_exploring_partnerships_are_not_asked(cities, running):
    Partnership.objects.filter(pk=running["partnership"].pk).update(status="exploring")
    outcomes.claim_due()
    assert not OutcomeRequest.objects.filter(partnership=running["partnership"]).exists()
