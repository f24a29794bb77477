"""The clock: a reminder after 7 days without an answer, an offer to another
contact or a comparable city after 21, the requester told at each step. The
clock is frozen by patching django.utils.timezone.now (neither time-machine nor
freezegun is installed), and the beat task itself is run."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from exchanges import actions
from exchanges.models import ExchangeRequest
from exchanges.tasks import run_exchange_clock

from .conftest import make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_this_tests_requests(demo):
    # The demo's open requests would be reminded too: each test counts its own.
    ExchangeRequest.objects.all().delete()


def _tick(at, django_capture_on_commit_callbacks):
    with mock.patch("django.utils.timezone.now", return_value=at), django_capture_on_commit_callbacks(execute=True):
        return run_exchange_clock.apply().get()


def test_reminded_after_seven_days_and_the_requester_told(
    send, requester, contact, mailoutbox, django_capture_on_commit_callbacks
):
    exchange = send()
    start = exchange.awaiting_since
    mailoutbox.clear()
    assert _tick(start + timedelta(days=6, hours=23), django_capture_on_commit_callbacks)["reminded"] == 0
    assert mailoutbox == []
    assert _tick(start + timedelta(days=7, minutes=1), django_capture_on_commit_callbacks)["reminded"] == 1
    exchange.refresh_from_db()
    assert exchange.state == "reminded" and exchange.reminded_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == sorted([contact.email, requester.email])
    # The next ticks remind nobody again.
    assert _tick(start + timedelta(days=8), django_capture_on_commit_callbacks)["reminded"] == 0
    assert len(mailoutbox) == 2


def test_an_answered_request_is_not_reminded(send, contact, mailoutbox, django_capture_on_commit_callbacks):
    exchange = send()
    actions.post_message(contact, exchange, "Je regarde et je reviens vers vous.")
    mailoutbox.clear()
    assert _tick(exchange.awaiting_since + timedelta(days=10), django_capture_on_commit_callbacks) == {
        "reminded": 0,
        "offered": 0,
    }
    assert mailoutbox == []


def test_offered_to_another_contact_after_twenty_one_days(
    send, requester, contact, colleague, target, mailoutbox, django_capture_on_commit_callbacks
):
    exchange = send()
    actions.hand_over(contact, exchange, colleague)  # only the colleague is asked now
    exchange.refresh_from_db()
    start = exchange.awaiting_since
    _tick(start + timedelta(days=7, minutes=1), django_capture_on_commit_callbacks)
    mailoutbox.clear()
    assert _tick(start + timedelta(days=21, minutes=1), django_capture_on_commit_callbacks)["offered"] == 1
    exchange.refresh_from_db()
    assert exchange.state == "offered_elsewhere" and exchange.assigned_to == contact
    assert sorted(m.to[0] for m in mailoutbox) == sorted([contact.email, requester.email])
    assert "offered" in next(m for m in mailoutbox if m.to == [requester.email]).body
    # Offered once: later ticks only remind.
    assert _tick(start + timedelta(days=50), django_capture_on_commit_callbacks)["offered"] == 0


def test_offered_to_a_comparable_city_when_the_city_has_no_other_contact(
    send, requester, contact, home, target, report, mailoutbox, django_capture_on_commit_callbacks
):
    from experiences.models import ExperiencePage
    from search.models import ComparableItem, ComparableList

    # The report's comparable projects as stored (search/comparable_store.py), set here so that the
    # offer does not depend on which backend ranked them: another city's report comes first.
    comparable = (
        ExperiencePage.objects.live()
        .filter(locale=report.locale)
        .exclude(city__in=[target, home])
        .select_related("city")
        .first()
    )
    ComparableList.objects.filter(source=report).delete()
    for lang in ("en", "fr"):
        stored = ComparableList.objects.create(source=report, language=lang)
        ComparableItem.objects.create(comparable_list=stored, rank=1, target=comparable, score=9.0, why={})
    other_contact = make_contact(comparable.city, "elsewhere")
    exchange = send()
    mailoutbox.clear()
    assert _tick(exchange.awaiting_since + timedelta(days=22), django_capture_on_commit_callbacks)["offered"] == 1
    exchange.refresh_from_db()
    assert exchange.state == "offered_elsewhere"
    assert exchange.original_city == target and exchange.target_city == comparable.city
    recipients = {m.to[0] for m in mailoutbox}
    assert other_contact.email in recipients and requester.email in recipients
    assert contact.email not in recipients
    # The first city's contact no longer answers it.
    from exchanges import rules

    assert not rules.can_answer(contact, exchange) and rules.can_answer(other_contact, exchange)


def test_closed_requests_are_left_alone(send, requester, django_capture_on_commit_callbacks):
    exchange = send()
    actions.withdraw(requester, exchange)
    result = _tick(timezone.now() + timedelta(days=40), django_capture_on_commit_callbacks)
    assert result == {"reminded": 0, "offered": 0}
    assert ExchangeRequest.objects.get(pk=exchange.pk).state == "withdrawn"


def test_beat_runs_the_clock():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["exchanges-clock"]["task"] == "exchanges.run_clock"


def test_a_french_reminder_elides_de_before_a_city_that_starts_with_a_vowel(
    send, home, contact, mailoutbox, django_capture_on_commit_callbacks
):
    home.name = "Ouagadougou"
    home.save()
    exchange = send()
    mailoutbox.clear()
    _tick(exchange.awaiting_since + timedelta(days=7, minutes=1), django_capture_on_commit_callbacks)
    to_contact = next(m for m in mailoutbox if m.to == [contact.email])  # the contact reads French
    assert "d’Ouagadougou" in to_contact.body and "de Ouagadougou" not in to_contact.body
    assert "de Ouagadougou" not in to_contact.subject
