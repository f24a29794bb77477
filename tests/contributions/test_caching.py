"""Consultation pages from the anonymous page cache: every contribution,
reply, support and moderation action shows on the next view."""

import pytest
from django.test import Client

from contributions import actions

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db


def _cached(client, url) -> str:
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    return response.content.decode()


def test_a_new_contribution_shows_at_once_in_both_languages(client, consultation, consultation_en, member):
    _cached(client, consultation.url)
    _cached(client, consultation_en.url)
    author = Client()
    author.force_login(member)
    data = {
        "title": "Des vélos partagés entre deux villes",
        "body": "Un texte assez long pour être accepté ici.",
        "tags": "mobilité",
        "section": "",
        "website": "",
    }
    assert author.post(consultation.url, data).status_code == 302
    assert data["title"] in client.get(consultation.url).content.decode()
    assert data["title"] in client.get(consultation_en.url).content.decode()


def test_replies_supports_and_moderation_show_at_once(client, consultation, member, other_member):
    contribution = make_contribution(consultation, member, title="Une idée à discuter")
    permalink = f"{consultation.url}contributions/{contribution.pk}/"
    assert "0 réponse" in _cached(client, permalink)
    actions.add_reply(other_member, contribution, "Bonne idée, parlons-en.")
    actions.set_support(other_member, contribution, True)
    html = client.get(permalink).content.decode()
    assert "Bonne idée, parlons-en." in html and "1 réponse" in html
    _cached(client, consultation.url)
    actions.hide(make_member("moderator", is_staff=True), contribution, "hors sujet")
    assert "Une idée à discuter" not in client.get(consultation.url).content.decode()


def test_a_member_sees_their_own_state_on_a_page_cached_for_anonymous_readers(client, consultation, member):
    assert 'name="title"' not in _cached(client, consultation.url)
    client.force_login(member)
    response = client.get(consultation.url)
    assert "X-Page-Cache" not in response and 'name="title"' in response.content.decode()


def test_a_tag_added_to_a_contribution_shows_at_once(client, consultation, member):
    contribution = make_contribution(consultation, member, title="Une idée à étiqueter")
    permalink = f"{consultation.url}contributions/{contribution.pk}/"
    assert "zanzitag" not in _cached(client, permalink)
    contribution.tags.add("zanzitag")  # the tag link alone: the contribution itself is not saved
    assert "zanzitag" in client.get(permalink).content.decode()
