"""The public pages (list, detail) in both languages, and what the older pages show of partnerships."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Partnership
from partnerships.services import start_partnership

pytestmark = pytest.mark.django_db


def test_the_list_in_english_and_french(client, demo):
    english = client.get("/en/partnerships/")
    assert english.status_code == 200
    html = english.content.decode()
    assert "Partnerships between cities" in html and "2 partnerships" in html
    assert "Lorient – Da Nang: school energy and flood alerts" in html and "North–South" in html
    assert '<label for="id_region_pair">Region pair</label>' in html
    french = client.get("/fr/partnerships/").content.decode()
    assert "Partenariats entre villes" in french and "2 partenariats" in french
    assert "Nord–Sud" in french and "Sud–Sud" in french and "Actif" in french
    assert 'lang="fr"' in french
    # "All" agrees with its noun: "Paire de régions : Toutes", "Pays : Tous".
    pair = french[french.index('id="id_region_pair"') :]
    assert pair.split("</option>", 1)[0].endswith('<option value="">Toutes')
    country = french[french.index('id="id_country"') :]
    assert country.split("</option>", 1)[0].endswith('<option value="">Tous')


def test_the_list_filters_and_says_which_filters_it_left_out(client, demo):
    html = client.get("/en/partnerships/", {"region_pair": "south-south"}).content.decode()
    assert "1 partnership" in html and "Saint-Louis – Curitiba" in html and "Lorient – Da Nang" not in html
    html = client.get("/fr/partnerships/", {"country": "ZZ", "status": "active"}).content.decode()
    assert "Code de pays inconnu\u00a0: ZZ" in html  # left out, said so; the valid filter still applies
    assert "1 partenariat" in html and "Lorient – Da Nang" in html
    html = client.get("/en/partnerships/", {"theme": "leisure-culture"}).content.decode()
    assert "No partnership matches these filters." in html


def test_unpublished_partnerships_are_404_and_private_fields_stay_hidden(client, cities, django_user_model):
    hidden = start_partnership(cities=[cities["Grenoble"], cities["Wuhan"]], kind="school-twinning", title="Hidden")
    shown = start_partnership(
        cities=[cities["Montpellier"], cities["Wuhan"]], kind="school-twinning", title="Shown", is_public=True
    )
    Partnership.objects.filter(pk=shown.pk).update(budget="SECRET-BUDGET", internal_notes="SECRET-NOTE")
    assert client.get(f"/en/partnerships/{hidden.pk}/").status_code == 404
    assert "Hidden" not in client.get("/en/partnerships/").content.decode()
    page = client.get(f"/en/partnerships/{shown.pk}/")
    assert page.status_code == 200
    assert "SECRET" not in page.content.decode()
    # An editor previews the unpublished one, told that the public cannot see it.
    editor = django_user_model.objects.create_superuser("p-editor", "p-editor@example.org", "x")
    client.force_login(editor)
    preview = client.get(f"/en/partnerships/{hidden.pk}/")
    assert preview.status_code == 200 and "not shown to the public yet" in preview.content.decode()


def test_the_detail_page_in_french(client, demo):
    partnership = Partnership.objects.get(title_en__startswith="Saint-Louis")
    html = client.get(f"/fr/partnerships/{partnership.pk}/").content.decode()
    assert "Visite d’étude" in html and "Terminé" in html and "Sud–Sud" in html
    assert "Demo figure: 20,000 EUR" in html  # published money facts are shown
    assert "/fr/experiences/curitiba-recycling-for-food/" in html  # the linked report in the reader's language


def test_list_query_count_is_constant(client, cities, no_page_cache):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/partnerships/").status_code == 200
        return len(queries)

    count()
    before = count()
    for i in range(3):
        start_partnership(
            cities=[cities["Lille"], cities["Curitiba"], cities["Wuhan"]],
            themes=["energy-climate"],
            sdgs=[7],
            kind="study-visit",
            title=f"Extra {i}",
            is_public=True,
        )
    count()  # a partnership outdates the site's generation: the header's links are read again once
    assert count() == before


def test_city_and_peers_pages_say_who_already_cooperates(client, demo):
    city_page = client.get("/en/experiences/city/lorient-fr/").content.decode()
    assert "Lorient already cooperates with" in city_page and "/en/partnerships/" in city_page
    peers = client.get("/fr/cities/da-nang-vn/peers/").content.decode()
    assert "Da Nang coopère déjà avec" in peers and "Lorient" in peers
    assert "coopèrent déjà dans un partenariat du réseau" in peers  # evidence in the peer reasons


def test_a_city_without_partnership_shows_no_section(client, demo):
    assert "already cooperates with" not in client.get("/en/experiences/city/dubai-ae/").content.decode()


def test_the_map_geojson_adds_the_partnerships(client, demo):
    body = client.get("/api/map/experiences.geojson", {"lang": "en"}).json()
    assert {f["properties"]["kind"] for f in body["features"]} <= {"city", "link"}  # the features keep their shape
    assert sorted(p["region_pair"] for p in body["partnerships"]) == ["north-south", "south-south"]
    lorient = next(p for p in body["partnerships"] if "lorient-fr" in p["cities"])
    assert lorient["cities"] == ["lorient-fr", "da-nang-vn"] and lorient["url"].startswith("/en/partnerships/")


def test_a_partnership_speaks_the_pages_language(client, demo):
    """ "Saint-Louis – Curitiba: recycling for food" was shown on the French pages: a partnership
    had its title and description in one language only."""
    partnership = Partnership.objects.get(title_en="Saint-Louis – Curitiba: recycling for food")
    french = client.get(f"/fr/partnerships/{partnership.pk}/").content.decode()
    assert "Saint-Louis – Curitiba : des déchets recyclables contre des aliments" in french
    assert "Une délégation de Saint-Louis a étudié" in french
    assert "recycling for food" not in french and "A delegation from Saint-Louis" not in french
    english = client.get(f"/en/partnerships/{partnership.pk}/").content.decode()
    assert "Saint-Louis – Curitiba: recycling for food" in english and "A delegation from Saint-Louis" in english
    assert "des déchets recyclables" not in english
    listing = client.get("/fr/partnerships/").content.decode()
    assert "Lorient – Da Nang : énergie des écoles et alertes aux inondations" in listing
    assert "school energy and flood alerts" not in listing


def test_an_untranslated_partnership_shows_the_other_language(client, cities):
    partnership = start_partnership(
        cities=[cities["Lille"], cities["Saint-Louis"]], kind="documents", is_public=True,
        title_fr="Marchés sans déchets", description_en="Only written in English so far.",
    )  # fmt: skip
    english = client.get(f"/en/partnerships/{partnership.pk}/").content.decode()
    assert '<h1 lang="fr">Marchés sans déchets</h1>' in english and "Only written in English so far." in english
    french = client.get(f"/fr/partnerships/{partnership.pk}/").content.decode()
    assert "<h1>Marchés sans déchets</h1>" in french
    assert '<div class="summary" lang="en"><p>Only written in English so far.</p></div>' in french


def test_the_admin_edits_both_languages(client, demo, django_user_model):
    from wagtail.users.models import UserProfile

    admin = django_user_model.objects.create_superuser("p-bilingual", "p-bilingual@example.org", "x")
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin)
    partnership = Partnership.objects.get(title_en__startswith="Saint-Louis")
    html = client.get(f"/admin/snippets/partnerships/partnership/edit/{partnership.pk}/").content.decode()
    for name in ("title_fr", "title_en", "description_fr", "description_en"):
        assert f'name="{name}"' in html
    assert "Title in French" in html and "Description in English" in html
