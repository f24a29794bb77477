"""Peer matching compares concepts, not only words (#17): a city that wrote in French and one that wrote
in English about the same thing are peers, and the reasons name what they share in the reader's language."""

import pytest

from subscriptions import matching

from .helpers import city, publish_experience

pytestmark = pytest.mark.django_db


def test_cities_writing_in_different_languages_match_on_shared_concepts(django_assert_max_num_queries):
    brest = city("Brest-X", "FR", 140000)
    medellin = city("Medellín-X", "CO", 2500000)
    # No theme, tag or SDG in common: only what the texts are about, in two languages.
    publish_experience(
        title="Un téléphérique et des transports en commun pour la rive droite",
        city=brest,
        language="fr",
        tags=["tramway"],
    )
    publish_experience(title="Aerial cable cars extend public transport to the hillsides", city=medellin,
                       language="en", tags=["tram"])  # fmt: skip
    # The corpus (seven), the partnerships hook (one), the lexicon's administrators' pairs (once per generation).
    with django_assert_max_num_queries(9):
        corpus = matching.load_corpus()
    fr = {m.name: m for m in matching.rank_peers(brest.pk, corpus, "fr")}
    assert "Medellín-X" in fr, list(fr)
    subjects = [r for r in fr["Medellín-X"].reasons if r.startswith("sujets communs")]
    assert subjects and "téléphérique" in subjects[0] and "transports en commun" in subjects[0], fr["Medellín-X"]
    en = {m.name: m for m in matching.rank_peers(medellin.pk, corpus, "en")}
    subjects = [r for r in en["Brest-X"].reasons if r.startswith("shared subjects")]
    assert subjects and "cable car" in subjects[0] and "tram" in subjects[0], en["Brest-X"].reasons


def test_one_shared_concept_alone_is_not_a_match():
    a = matching.CityFacts(1, "A", "a", "FR", "north", "small")
    b = matching.CityFacts(2, "B", "b", "SN", "south", "small")
    a.concepts, b.concepts = {"cable car", "school"}, {"cable car", "hospital"}
    corpus = matching.Corpus({1: a, 2: b}, {})
    assert matching.rank_peers(1, corpus, "en") == []
    b.concepts.add("school")
    corpus = matching.Corpus({1: a, 2: b}, {})  # a corpus is a snapshot: its rankings are kept
    assert [m.name for m in matching.rank_peers(1, corpus, "en")] == ["B"]


def test_shared_tags_read_in_the_readers_language():
    # Two French cities tagged their reports alike: an English reader of their match reads the tags in
    # English where the lexicon has them ("compost" is a word of both languages), a French reader as written.
    lorient = city("Lorient-X", "FR", 57000)
    saumur = city("Saumur-X", "FR", 26000)
    for town in (lorient, saumur):
        publish_experience(title="Un potager au pied des immeubles", city=town, language="fr",
                           tags=["jardin partagé", "compost"])  # fmt: skip
    corpus = matching.load_corpus()
    en = {m.name: m for m in matching.rank_peers(lorient.pk, corpus, "en")}
    tags = [r for r in en["Saumur-X"].reasons if r.startswith("shared tags")]
    assert tags == ["shared tags: compost, community garden"], en["Saumur-X"].reasons
    fr = {m.name: m for m in matching.rank_peers(lorient.pk, corpus, "fr")}
    assert any("jardin partagé" in r for r in fr["Saumur-X"].reasons), fr["Saumur-X"].reasons


def test_shared_subjects_name_each_thing_once_and_in_good_french(db):
    from lexicon import lexicon

    # "child" and "children" are two concepts that both read "enfant".
    assert lexicon.concept_labels(["child", "children", "school"], "fr") == ["enfant", "école"]
    # "air" read "aérien" (aviation) in French: the lexicon pairs "aérien" only in "transport aérien".
    assert "air quality" in lexicon.concepts("La qualité de l'air")
    assert "air" not in lexicon.concepts("Un transport aérien")
