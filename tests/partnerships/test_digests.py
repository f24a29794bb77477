"""Digests name the new partnerships in the subscriber's themes (subscriptions/digests.py, through a hook)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerships.services import start_partnership
from subscriptions import digests
from tests.subscriptions.helpers import subscriber

pytestmark = pytest.mark.django_db


def _message(sub):
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(seconds=1)
    return digests.render_digest(digests.digest_for_period(sub, start, end))


def test_new_partnerships_in_the_subscribers_themes(cities):
    start_partnership(
        cities=[cities["Lille"], cities["Saint-Louis"]], themes=["food-consumption"], kind="study-visit",
        title="Markets without waste", is_public=True,
    )  # fmt: skip
    start_partnership(
        cities=[cities["Lille"], cities["Curitiba"]], themes=["food-consumption"], kind="documents",
        title="Not yet public",
    )  # fmt: skip
    french = subscriber("p-fr@example.org", language="fr", themes=["food-consumption"])
    message = _message(french)
    assert "Nouveaux partenariats dans vos thèmes" in message.body
    assert "Markets without waste — Lille (FR) – Saint-Louis (SN)" in message.body
    assert "Alimentation, consommation" in message.body and "/fr/partnerships/" in message.body
    assert "Not yet public" not in message.body
    assert "Markets without waste" in message.alternatives[0][0]
    other = subscriber("p-en@example.org", language="en", themes=["leisure-culture"])
    assert "New partnerships in your themes" not in _message(other).body


def test_a_new_partnership_alone_is_news_enough_for_a_digest(cities):
    """Walked as a subscriber: the preview listed two new partnerships under "0 items, nothing
    new this time", and the digest was then skipped as empty."""
    start_partnership(
        cities=[cities["Lille"], cities["Saint-Louis"]], themes=["food-consumption"], kind="study-visit",
        title="Markets without waste", is_public=True,
    )  # fmt: skip
    sub = subscriber("p-alone@example.org", language="en", themes=["food-consumption"])
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(seconds=1)
    digest = digests.digest_for_period(sub, start, end)
    assert not digest.is_empty and digest.item_count == len(digest.partnerships) >= 1
    assert "nothing new" not in digests.render_digest(digest).subject.lower()
