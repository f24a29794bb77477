"""Walked as an officer in the French admin (issue #15): Wagtail's own French read badly on
the pages an officer sees: "Ajouter un(e) ville partenaire" under a report's partner cities,
"Nouveau: Retour d’expérience" (no non-breaking space before the colon) as the new report's
title. Our inline panels say what they add (cooperation_hub/panels.py) and the title's colon
follows French typography (cooperation_hub/admin_titles.py)."""

import inspect
import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_admin(client):
    admin = get_user_model().objects.create_superuser("typo-admin", "typo-admin@example.org", "pw-not-used-1234")
    client.force_login(admin)
    return client


def _get(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_new_report_says_what_each_button_adds_in_french(french_admin, demo):
    from experiences.models import ExperienceIndexPage

    index = ExperienceIndexPage.objects.get(locale__language_code="fr")
    html = _get(french_admin, f"/admin/pages/add/experiences/experiencepage/{index.pk}/")
    for button in (
        "Ajouter une ville partenaire",
        "Ajouter un chiffre clé",
        "Ajouter une photo",
        "Ajouter un document",
    ):
        assert button in html
    assert "un(e)" not in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "Nouveau\u00a0: Retour d’expérience" in title, title
    assert "Nouveau: " not in html


def test_the_english_admin_keeps_its_colon(client, demo):
    from experiences.models import ExperienceIndexPage

    admin = get_user_model().objects.create_superuser("typo-en", "typo-en@example.org", "pw-not-used-1234")
    client.force_login(admin)
    index = ExperienceIndexPage.objects.get(locale__language_code="en")
    html = client.get(f"/admin/pages/add/experiences/experiencepage/{index.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = html.content.decode()
    assert "New: Experience report" in html or "New: " in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "Add a partner city" in html


def test_a_new_partnership_says_add_a_city_in_french(french_admin):
    html = _get(french_admin, "/admin/snippets/partnerships/partnership/add/")
    assert "Ajouter une ville" in html and "un(e)" not in html
    assert "Nouveau: " not in html


def test_wagtail_still_joins_titles_in_the_method_we_replace():
    from wagtail.admin.views.generic import base

    source = inspect.getsource(base.WagtailAdminTemplateMixin)
    assert "def get_header_title" in source  # else cooperation_hub/admin_titles.py replaces nothing


@pytest.mark.parametrize(
    ("language", "header", "button"), [("en", "Choose", "Choose city"), ("fr", "Choisir", "Choisir")]
)
def test_the_city_chooser_speaks_the_admins_language(client, demo, language, header, button):
    """Walked as an officer whose browser is in English: the city chooser read "Choisir city"
    (Wagtail translates its chooser labels once, at import, in the site's default language)."""
    from experiences.models import ExperienceIndexPage

    officer = get_user_model().objects.create_superuser(f"chooser-{language}", f"chooser-{language}@example.org", "pw")
    client.force_login(officer)
    modal = client.get("/admin/snippets/choose/experiences/city/", HTTP_ACCEPT_LANGUAGE=language).json()["html"]
    title = re.search(r'>\s*([^<>]+?)\s*<span class="w-header__subtitle">([^<]+)</span>', modal)
    assert title.groups() == (header, "city" if language == "en" else "ville"), title.groups()
    index = ExperienceIndexPage.objects.get(locale__language_code=language)
    form = client.get(f"/admin/pages/add/experiences/experiencepage/{index.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert button in form.content.decode()
    assert ("Choisir" in form.content.decode()) == (language == "fr")


@pytest.mark.parametrize(
    ("language", "north", "large", "population"),
    [("en", "Global North", "Large city", "130,000"), ("fr", "Nord", "Grande ville", "130\xa0000")],
)
def test_the_cities_listing_names_regions_and_sizes(client, demo, language, north, large, population):
    """Walked: the admin's city listing showed the slugs "north" and "large", and "130000"."""
    client.force_login(
        get_user_model().objects.create_superuser(f"cities-{language}", f"c-{language}@example.org", "pw")
    )
    html = client.get("/admin/snippets/experiences/city/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    cells = re.findall(r"<td[^>]*>\s*([^<]+?)\s*</td>", html)
    assert north in cells and any(cell.startswith(large) for cell in cells), cells[:20]
    assert "north" not in cells and "large" not in cells
    assert population in cells and "130000" not in cells  # Annecy


def test_the_dashboards_page_count_is_spelled_right_in_french(french_admin, demo):
    # Wagtail's French read "42 Pages crées dans…" in the site summary (its catalogue's typo).
    html = _get(french_admin, "/admin/")
    assert "crées dans" not in html
    assert re.search(r'\d+ pages <span class="w-sr-only">créées dans ', html)
