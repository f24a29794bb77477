"""Administrators add or correct pairs in the Wagtail admin; search sees the change at once, no redeploy."""

import pytest
from django.contrib.auth import get_user_model

from lexicon import expand
from lexicon.lexicon import bump_generation
from lexicon.models import LexiconEntry

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/snippets/lexicon/lexiconentry/add/"


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("lexicon-admin", "lexicon-admin@example.org", "x")
    client.force_login(admin)
    return client


def test_a_pair_added_in_the_admin_is_searched_at_once(admin_client):
    assert expand(["sobriété"])["sobriété"] == []  # "sobriété énergétique" is a pair, "sobriété" alone is not
    response = admin_client.post(ADD_URL, {"french": "sobriété", "english": "sufficiency", "enabled": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LexiconEntry.objects.filter(french="sobriété", english="sufficiency").exists()
    assert expand(["sobriété"])["sobriété"] == ["sufficiency"]
    assert expand(["sufficiency"])["sufficiency"] == ["sobriété"]
    assert admin_client.get("/admin/snippets/lexicon/lexiconentry/").status_code == 200


def test_a_disabled_pair_removes_a_shipped_translation(admin_client):
    assert "streetcar" in expand(["tramway"])["tramway"]
    response = admin_client.post(ADD_URL, {"french": "tramway", "english": "streetcar", "note": "American"})
    assert response.status_code == 302
    assert "streetcar" not in expand(["tramway"])["tramway"] and "tram" in expand(["tramway"])["tramway"]
    LexiconEntry.objects.filter(english="streetcar").delete()
    assert "streetcar" in expand(["tramway"])["tramway"]


def test_a_pair_of_the_same_word_is_refused_with_a_message(admin_client):
    response = admin_client.post(ADD_URL, {"french": "Transport", "english": "transports", "enabled": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "needs no pair" in page or "besoin de paire" in page
    assert not LexiconEntry.objects.exists()


def test_other_processes_see_a_change_through_the_generation():
    """A row written without this process's signal (another process) counts once the generation moves."""
    assert expand(["zorblax"])["zorblax"] == []
    LexiconEntry.objects.bulk_create([LexiconEntry(french="zorblax", english="zorglub")])  # no signal
    assert expand(["zorblax"])["zorblax"] == []  # this process's copy, same generation
    bump_generation()  # what the other process's save did
    try:
        assert expand(["zorblax"])["zorblax"] == ["zorglub"]
    finally:  # the row goes with the test's transaction: this process's copy must go too
        LexiconEntry.objects.filter(french="zorblax").delete()
        bump_generation()
