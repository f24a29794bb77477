"""Walked as a peer (issue #15): the demo's French summaries keep a non-breaking space before
":" ("Cas illustratif :"), but every shortened copy lost it: the cards of the home page, the list
and the city pages, the pages' meta description and the digest's excerpts showed "illustratif :"
with a plain space, free to break before the colon. Python's split() cuts on U+00A0 too."""

import pytest

from cooperation_hub.text import truncate_words

NBSP_COLON = "Cas illustratif\u00a0:"


def test_shortening_keeps_non_breaking_spaces():
    text = "Cas illustratif\u00a0: la ville prévoit de «\u00a0tout\u00a0» collecter, même les déchets des marchés."
    assert truncate_words(text, 4) == "Cas illustratif\u00a0: la ville…"
    assert truncate_words(text, 100) == text


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/fr/", "/fr/experiences/", "/fr/experiences/city/chefchaouen-ma/"])
def test_french_cards_keep_the_space_before_the_colon(client, demo, path):
    html = client.get(path).content.decode()
    assert NBSP_COLON in html
    assert "Cas illustratif :" not in html


@pytest.mark.django_db
def test_a_french_reports_meta_description_keeps_it(client, demo):
    from experiences.models import ExperiencePage

    page = ExperiencePage.objects.live().filter(locale__language_code="fr", summary__startswith=NBSP_COLON).first()
    html = client.get(page.url).content.decode()
    assert f'<meta name="description" content="{NBSP_COLON}' in html or f'content="{NBSP_COLON}' in html
    assert 'content="Cas illustratif :' not in html


@pytest.mark.django_db
def test_the_french_digest_excerpt_keeps_it(demo):
    from datetime import timedelta

    from django.utils import timezone

    from experiences.models import ExperiencePage
    from subscriptions import digests
    from tests.subscriptions.helpers import city, publish_experience, subscriber

    page = publish_experience(title="Des toits partagés", city=city("Grenoble", "FR", 158000), language="fr")
    ExperiencePage.objects.filter(pk=page.pk).update(
        summary="Cas illustratif\u00a0: des toits cultivés par des écoles."
    )
    sub = subscriber("lectrice@example.org", language="fr", frequency="daily")
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(seconds=1)
    message = digests.render_digest(digests.digest_for_period(sub, start, end))
    html = message.alternatives[0][0]
    assert NBSP_COLON + " des toits" in html
    assert "Cas illustratif : des toits" not in html


def test_the_demo_sections_intros_in_french():
    """The intros of the demo's Experiences and Consultations pages ("relus avant publication :")."""
    from cooperation_hub.demo import TREE

    texts = [value for value in TREE["fr"].values() for value in (value.values() if isinstance(value, dict) else value)]
    assert texts and not [t for t in texts if " :" in t or " ?" in t or " ;" in t or " !" in t]
