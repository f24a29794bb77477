"""The window is the law: the plain rules, at exact instants."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contributions import rules
from contributions.models import ConsultationPage

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db  # a Page instance looks up its default locale
PARIS = ZoneInfo("Europe/Paris")
OPENS = datetime(2018, 2, 23, 0, 0, tzinfo=PARIS)
CLOSES = datetime(2020, 1, 1, 0, 0, tzinfo=PARIS)


def window() -> ConsultationPage:
    return ConsultationPage(title="w", opens_at=OPENS, closes_at=CLOSES, timezone_name="Europe/Paris")


@pytest.mark.parametrize("action", list(rules.Action))
def test_every_action_is_refused_before_opening(action):
    with translation.override("en"):
        decision = rules.can_act(window(), action, now=OPENS - timedelta(microseconds=1))
    assert not decision
    assert "not open yet" in decision.reason


@pytest.mark.parametrize("action", list(rules.Action))
def test_every_action_is_allowed_from_the_opening_instant_to_just_before_closing(action):
    assert rules.can_act(window(), action, now=OPENS)
    assert rules.can_act(window(), action, now=CLOSES - timedelta(microseconds=1))


@pytest.mark.parametrize("action", list(rules.Action))
def test_every_action_is_refused_at_the_exact_closing_instant_and_after(action):
    with translation.override("en"):
        at_close = rules.can_act(window(), action, now=CLOSES)
    assert not at_close and "closed" in at_close.reason
    assert not rules.can_act(window(), action, now=CLOSES + timedelta(days=400))


def test_window_state_uses_an_exclusive_closing_instant():
    page = window()
    assert page.window_state(OPENS - timedelta(seconds=1)) == "upcoming"
    assert page.window_state(OPENS) == "open"
    assert page.window_state(CLOSES - timedelta(seconds=1)) == "open"
    assert page.window_state(CLOSES) == "closed"


def test_a_window_entered_as_dates_includes_the_whole_last_day_in_its_time_zone():
    opens, closes = rules.window_instants(date(2018, 2, 23), date(2019, 12, 31), "Europe/Paris")
    assert opens == OPENS and closes == CLOSES
    last_evening = datetime(2019, 12, 31, 23, 59, 59, tzinfo=PARIS)
    assert rules.window_state(opens, closes, last_evening) == "open"
    # 23:30 UTC on 31 Dec is already 1 Jan in Paris: closed.
    assert rules.window_state(opens, closes, datetime(2019, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))) == "closed"


def test_a_one_day_window_lasts_the_whole_day_in_another_time_zone():
    opens, closes = rules.window_instants(date(2019, 5, 2), date(2019, 5, 2), "Africa/Dakar")
    assert closes - opens == timedelta(days=1)
    dakar = ZoneInfo("Africa/Dakar")
    assert rules.window_state(opens, closes, datetime(2019, 5, 2, 0, 0, tzinfo=dakar)) == "open"
    assert rules.window_state(opens, closes, datetime(2019, 5, 2, 23, 59, tzinfo=dakar)) == "open"
    assert rules.window_state(opens, closes, datetime(2019, 5, 3, 0, 0, tzinfo=dakar)) == "closed"


def test_a_closing_before_or_at_the_opening_is_refused_by_the_model():
    page = window()
    page.closes_at = OPENS
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "closes_at" in error.value.message_dict
    page.closes_at = OPENS - timedelta(days=1)
    with pytest.raises(ValidationError):
        page.clean()


def test_only_a_signed_in_member_with_a_verified_address_may_participate():
    from django.contrib.auth.models import AnonymousUser

    assert not rules.may_participate(AnonymousUser())
    unverified = make_member("unverified", verified=False)
    with translation.override("en"):
        decision = rules.may_participate(unverified)
    assert not decision and "e-mail" in decision.reason
    assert rules.may_participate(make_member("verified"))


def test_only_the_author_may_change_a_contribution_and_only_while_open(consultation):
    author, other = make_member("author"), make_member("other")
    contribution = make_contribution(consultation, author)
    assert rules.can_change_contribution(author, contribution, rules.Action.EDIT)
    with translation.override("en"):
        refused = rules.can_change_contribution(other, contribution, rules.Action.EDIT)
    assert not refused and "Only the author" in refused.reason
    after = consultation.closes_at + timedelta(seconds=1)
    assert not rules.can_change_contribution(author, contribution, rules.Action.WITHDRAW, now=after)
