"""Peer matching: reasons in words, North–South pairs first, and the city page."""

import pytest
from anymail.signals import AnymailTrackingEvent, tracking

from subscriptions import matching
from subscriptions.models import Subscription

from .helpers import city, publish_experience, subscriber

pytestmark = pytest.mark.django_db


def facts(city_id, name, region, size, themes=(), levels=None, tags=(), sdgs=()):
    f = matching.CityFacts(city_id, name, name.lower(), "FR" if region == "north" else "SN", region, size)
    f.themes = set(themes)
    f.tags, f.sdgs = set(tags), set(sdgs)
    for theme, level in (levels or {}).items():
        f.theme_levels[theme].add(level)
    return f


CORPUS_THEMES = {1: ("Education & employment", "Éducation, emploi"), 2: ("Energy & climate", "Énergie, climat")}


def test_reasons_in_words_in_both_languages():
    grenoble = facts(1, "Grenoble", "north", "medium", {1, 2}, {1: 2, 2: 2})
    cahors = facts(2, "Cahors", "north", "medium", {1, 2}, {1: 0, 2: 0})
    corpus = matching.Corpus({1: grenoble, 2: cahors}, CORPUS_THEMES)
    match = matching.score_pair(cahors, grenoble, corpus, "en")
    assert match.reasons == [
        "both medium-sized cities",
        "shared themes: Education & employment, Energy & climate",
        "Grenoble completed what Cahors plans (Education & employment, Energy & climate)",
    ]
    assert match.teaches == [1, 2] and match.learns == []
    fr = matching.score_pair(cahors, grenoble, corpus, "fr")
    assert fr.reasons == [
        "deux villes moyennes",
        # Theme names holding a comma are told apart by a semicolon.
        "thèmes communs\u00a0: Éducation, emploi\u00a0; Énergie, climat",
        "Grenoble a réalisé ce que Cahors prévoit (Éducation, emploi\u00a0; Énergie, climat)",
    ]


def test_pairs_across_the_divide_are_favoured_and_unrelated_cities_are_not_matches():
    me = facts(1, "Lorient", "north", "medium", {2}, {2: 1})
    north = facts(2, "Annecy", "north", "large", {2}, {2: 1})
    south = facts(3, "Da Nang", "south", "large", {2}, {2: 1})
    stranger = facts(4, "Nowhere", "south", "medium", set(), {})
    corpus = matching.Corpus({c.city_id: c for c in (me, north, south, stranger)}, CORPUS_THEMES)
    ranked = matching.rank_peers(1, corpus, "en")
    assert [m.name for m in ranked] == ["Da Nang", "Annecy"]
    assert "across the North–South divide" in ranked[0].reasons


def test_matching_over_the_database_with_few_queries(django_assert_max_num_queries):
    grenoble = city("Grenoble-M", "FR", 158000)
    thies = city("Thiès-M", "SN", 320000)
    publish_experience(title="Done", city=grenoble, themes=["energy-climate"], status="completed", tags=["solar"])
    publish_experience(title="Planned", city=thies, themes=["energy-climate"], status="planned", tags=["solar"])
    # Pages (and the private sections they must be outside of), cities, themes, SDGs, tags, theme names,
    # and the pairs of cities already in a partnership (the partnerships app's hook).
    with django_assert_max_num_queries(8):
        corpus = matching.load_corpus()
    lists = matching.peer_lists(thies.pk, corpus, "en")
    first = lists.learn_from[0]
    assert first.name == "Grenoble-M"
    assert "Grenoble-M completed what Thiès-M plans (Energy & climate)" in first.reasons
    assert "shared tags: solar" in first.reasons
    back = matching.peer_lists(grenoble.pk, corpus, "en")
    assert "Thiès-M" in [m.name for m in back.could_learn_from_you]


def test_city_peers_page_in_both_languages(client):
    grenoble = city("Grenoble-P", "FR", 158000)
    thies = city("Thiès-P", "SN", 320000)
    publish_experience(title="Done", city=grenoble, themes=["energy-climate"], status="completed")
    publish_experience(title="Planned", city=thies, themes=["energy-climate"], status="planned")
    page = client.get(f"/en/cities/{thies.slug}/peers/").content.decode()
    assert "Cities you could learn from" in page and "Grenoble-P" in page
    assert "Grenoble-P completed what Thiès-P plans (Energy &amp; climate)" in page
    page = client.get(f"/fr/cities/{grenoble.slug}/peers/").content.decode()
    assert "Des villes qui pourraient apprendre de vous" in page
    assert "Grenoble-P a réalisé ce que Thiès-P prévoit (Énergie, climat)" in page
    assert client.get("/en/cities/no-such-city/peers/").status_code == 404


def test_the_next_reader_of_a_peers_page_is_served_what_was_worked_out(client, no_page_cache):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grenoble = city("Grenoble-K", "FR", 158000)
    thies = city("Thiès-K", "SN", 320000)
    publish_experience(title="Done", city=grenoble, themes=["energy-climate"], status="completed")
    publish_experience(title="Planned", city=thies, themes=["energy-climate"], status="planned")
    url = f"/en/cities/{thies.slug}/peers/"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    # The city and its peers are kept; its partnerships are read (one statement).
    assert again.content == first.content and len(queries) <= 1, [q["sql"][:100] for q in queries]
    # A city that completed the same theme since is a peer at once.
    annecy = city("Annecy-K", "FR", 130000)
    publish_experience(title="Also done", city=annecy, themes=["energy-climate"], status="completed")
    assert "Annecy-K" in client.get(url).content.decode()


def test_demo_cities_have_peers_with_reasons(demo):
    corpus = matching.load_corpus()
    from experiences.models import City

    saint_louis = City.objects.get(name="Saint-Louis", country="SN")
    lists = matching.peer_lists(saint_louis.pk, corpus, "en")
    assert lists.learn_from, "Saint-Louis plans what others completed"
    assert all(m.reasons for m in lists.learn_from)


@pytest.mark.parametrize("event_type", ["bounced", "complained"])
def test_bounces_and_complaints_pause_the_subscription(event_type):
    sub = subscriber("Bouncy@Example.org")
    event = AnymailTrackingEvent(event_type=event_type, recipient="bouncy@example.org", reject_reason="bounced")
    tracking.send(sender=object, event=event, esp_name="Postmark")
    sub.refresh_from_db()
    assert sub.paused_at is not None and event_type in sub.pause_reason
    assert not Subscription.objects.active().filter(pk=sub.pk).exists()


def test_delivered_events_change_nothing():
    sub = subscriber("fine@example.org")
    tracking.send(
        sender=object, event=AnymailTrackingEvent(event_type="delivered", recipient=sub.email), esp_name="Postmark"
    )
    sub.refresh_from_db()
    assert sub.paused_at is None


def test_admin_lists_deliveries_and_subscriptions_read_only(admin_client):
    from django.urls import reverse

    subscriber("admin-view@example.org")
    assert admin_client.get(reverse("digest_subscriptions:index")).status_code == 200
    assert admin_client.get(reverse("digest_deliveries:index")).status_code == 200
    assert admin_client.get(reverse("digest_deliveries:add")).status_code in (302, 403)
