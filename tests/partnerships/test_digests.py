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


def test_a_partnership_is_news_when_it_is_made_public_not_when_it_was_recorded(cities):
    """Recorded a month before both sides agreed to show it, a partnership never reached any
    digest: the section selected by creation date, and that month's digests had long been sent."""
    from partnerships.models import Partnership

    partnership = start_partnership(
        cities=[cities["Lille"], cities["Saint-Louis"]], themes=["food-consumption"], kind="study-visit",
        title="Recorded in spring",
    )  # fmt: skip
    Partnership.objects.filter(pk=partnership.pk).update(created_at=timezone.now() - timedelta(days=30))
    sub = subscriber("p-published@example.org", language="en", themes=["food-consumption"])
    assert "Recorded in spring" not in _message(sub).body  # not public yet

    partnership.refresh_from_db()
    partnership.is_public = True
    partnership.save()
    assert "Recorded in spring" in _message(sub).body
    # The next period does not announce it again.
    later = digests.digest_for_period(sub, timezone.now(), timezone.now() + timedelta(days=1))
    assert "Recorded in spring" not in digests.render_digest(later).body


def test_a_publication_held_for_the_other_side_is_news_when_confirmed(cities, django_user_model):
    """One side ticks "shown to the public", the other confirms days later: the partnership is
    news in the digest of the day it is shown, not in the earlier one when it was still hidden."""
    from django.contrib.auth.models import Group

    from exchanges.models import CityContact
    from experiences.publishing import OFFICERS
    from partnerships import changes
    from partnerships.models import Partnership

    officers = {}
    for name in ("Lille", "Saint-Louis"):
        officers[name] = django_user_model.objects.create_user(f"d-{name}", f"d-{name}@example.org", "x")
        officers[name].groups.add(Group.objects.get(name=OFFICERS))
        CityContact.objects.create(city=cities[name], member=officers[name], verified=True)
    partnership = start_partnership(
        cities=[cities["Lille"], cities["Saint-Louis"]], themes=["food-consumption"], kind="study-visit",
        title="Held for confirmation",
    )  # fmt: skip
    partnership.is_public = True
    partnership.save()
    assert changes.hold_publication(partnership, False, officers["Lille"])
    sub = subscriber("p-held@example.org", language="en", themes=["food-consumption"])
    assert "Held for confirmation" not in _message(sub).body  # not shown yet

    # Not news while it waits (the proposing side's save does not count as its publication).
    assert Partnership.objects.get(pk=partnership.pk).published_at is None
    # Days later, the other side confirms: only that day's digest announces it.
    assert changes.confirm(Partnership.objects.get(pk=partnership.pk), officers["Saint-Louis"])
    assert Partnership.objects.get(pk=partnership.pk).is_public
    assert "Held for confirmation" in _message(sub).body


def test_the_hook_names_the_moment_of_news_news_at(cities):
    """The hook's items carried ``created_at`` only because the digests read that name; it was
    the publication under another name."""
    from partnerships.models import Partnership

    partnership = start_partnership(
        cities=[cities["Lille"], cities["Saint-Louis"]], themes=["food-consumption"], kind="study-visit",
        title="Named news", is_public=True,
    )  # fmt: skip
    items = digests.new_partnerships(timezone.now() - timedelta(days=1), timezone.now() + timedelta(seconds=1))
    (item,) = [item for item in items if item.title == "Named news"]
    assert item.news_at == Partnership.objects.get(pk=partnership.pk).published_at
    assert not hasattr(item, "created_at")


def test_a_partnership_hidden_and_shown_again_is_announced_once(cities):
    from partnerships.models import Partnership

    partnership = start_partnership(
        cities=[cities["Lille"], cities["Saint-Louis"]], themes=["food-consumption"], kind="study-visit",
        title="Shown twice", is_public=True,
    )  # fmt: skip
    sub = subscriber("p-twice@example.org", language="en", themes=["food-consumption"])
    assert "Shown twice" in _message(sub).body
    first = Partnership.objects.get(pk=partnership.pk).published_at
    # A week later (the first digest long sent), it is hidden, then shown again.
    Partnership.objects.filter(pk=partnership.pk).update(published_at=first - timedelta(days=7))
    partnership.refresh_from_db()
    partnership.is_public = False
    partnership.save()
    partnership.is_public = True
    partnership.save()
    assert Partnership.objects.get(pk=partnership.pk).published_at == first - timedelta(days=7)
    assert "Shown twice" not in _message(sub).body


def test_the_digest_names_a_partnership_in_the_readers_language(cities):
    start_partnership(
        cities=[cities["Lille"], cities["Saint-Louis"]], themes=["food-consumption"], kind="study-visit",
        title_fr="Des marchés sans déchets", title_en="Markets without waste", is_public=True,
    )  # fmt: skip
    french = _message(subscriber("p-lang-fr@example.org", language="fr", themes=["food-consumption"]))
    assert "Des marchés sans déchets" in french.body and "Markets without waste" not in french.body
    assert "Des marchés sans déchets" in french.alternatives[0][0]
    english = _message(subscriber("p-lang-en@example.org", language="en", themes=["food-consumption"]))
    assert "Markets without waste" in english.body and "Des marchés sans déchets" not in english.body
