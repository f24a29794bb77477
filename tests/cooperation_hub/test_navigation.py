"""The header's links: right for each language, read from the database once
per language and publication, not on every page."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from cooperation_hub.context_processors import site_navigation
from experiences.models import ExperienceIndexPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_header_links_to_the_sections_of_the_readers_language(client, demo, language):
    html = client.get(f"/{language}/").content.decode()
    with translation.override(language):
        links = site_navigation(RequestFactory().get(f"/{language}/"))["nav"]
    assert links["home"] == f"/{language}/"
    assert links["experiences"].startswith(f"/{language}/") and links["consultations"].startswith(f"/{language}/")
    assert f'href="{links["experiences"]}"' in html and f'href="{links["consultations"]}"' in html


def test_the_navigation_costs_no_query_once_known(demo, django_assert_num_queries):
    request = RequestFactory().get("/fr/")
    with translation.override("fr"):
        site_navigation(request)
        with django_assert_num_queries(0):
            assert site_navigation(request)["nav"]["experiences"]


def test_unpublishing_a_section_removes_it_from_the_header(client, demo):
    index = ExperienceIndexPage.objects.live().get(locale__language_code="en")
    url = index.get_url()
    assert f'href="{url}"' in client.get("/en/").content.decode()
    index.unpublish()
    assert f'href="{url}"' not in client.get("/en/").content.decode()
