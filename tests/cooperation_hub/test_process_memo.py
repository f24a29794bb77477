"""What every page asks of the site's structure is kept by the process for the site's generation
(cooperation_hub/process_memo.py): the next reader of a page asks no statement about the site,
the home page, the languages or the private sections, and any change to them counts at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from cooperation_hub import process_memo
from cooperation_hub.models import HomePage
from experiences.models import ExperiencePage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

STRUCTURE_TABLES = ('"wagtailcore_site"', '"wagtailcore_locale"', '"wagtailcore_pageviewrestriction"')


def _report() -> ExperiencePage:
    return ExperiencePage.objects.live().filter(locale__language_code="en").order_by("pk").first()


def _structure_reads(url: str, client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return [
        q["sql"] for q in queries.captured_queries if any(f"FROM {table}" in q["sql"] for table in STRUCTURE_TABLES)
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_next_reader_asks_nothing_of_the_site_its_home_page_or_its_private_sections(client, demo, language):
    report = ExperiencePage.objects.live().filter(locale__language_code=language).order_by("pk").first()
    for url in (f"/{language}/", f"/{language}/experiences/", report.url):
        client.get(url)
        assert _structure_reads(url, client) == [], url


def test_a_section_made_private_is_closed_to_the_next_reader_and_opened_again(client, demo):
    report = _report()
    index = report.get_parent()
    client.get(report.url), client.get(index.url)  # kept by the process
    restriction = PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    for url in (index.url, report.url):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    assert report.title not in client.get("/en/").content.decode()
    restriction.delete()
    assert client.get(report.url).status_code == 200


def test_a_password_on_one_report_asks_for_it_there_only(client, demo):
    report = _report()
    client.get(report.url)
    PageViewRestriction.objects.create(page=report, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    response = client.get(report.url)
    assert response.status_code == 200 and 'name="password"' in response.content.decode()
    assert client.get(report.get_parent().url).status_code == 200


def test_a_home_page_published_again_is_the_one_the_next_reader_sees(client, demo):
    client.get("/en/"), client.get("/en/")
    home = HomePage.objects.get(locale__language_code="en")
    home.hero_title = "A hero title published a moment ago"
    home.save_revision().publish()
    assert "A hero title published a moment ago" in client.get("/en/").content.decode()


def test_a_reader_changing_the_home_page_it_was_served_leaves_the_next_one_alone(client, demo):
    """The home page each request serves is a copy of the one the process keeps."""
    first = client.get("/en/").context["page"]
    first.hero_title = "Changed by one request only"
    assert "Changed by one request only" not in client.get("/en/").content.decode()


def test_a_site_moved_to_another_root_is_followed_at_once(client, demo):
    client.get("/en/")
    site = Site.objects.get(is_default_site=True)
    other = Page.get_first_root_node().add_child(instance=Page(title="Elsewhere", slug="elsewhere"))
    site.root_page = other
    site.save()
    assert client.get("/en/experiences/").status_code == 404


def test_made_up_hosts_share_one_entry_for_the_default_site(client, demo, settings):
    settings.ALLOWED_HOSTS = ["*"]
    client.get("/en/")
    before = len(process_memo._kept)
    for n in range(50):
        assert client.get("/en/", HTTP_HOST=f"made-up-{n}.example").status_code == 200
    assert len(process_memo._kept) <= before + 1


def test_a_pages_parts_weigh_their_text_beside_their_flags(settings):
    """What is kept is bounded by its rendered text (PROCESS_MEMO_MB): a page's parts kept with a
    flag and a page number count as their text, not as a small value."""
    assert process_memo._weight({"head": "h" * 500, "body": "b" * 40_000, "refused": False, "number": 2}) == 40_500


def test_a_kept_search_result_weighs_its_snippets():
    from search.results import SearchHit, SearchResult

    hits = [SearchHit(type="experience", title="t", url="/u/", snippet="s" * 2_000, external_id="") for _ in range(20)]
    assert process_memo._weight(SearchResult(query="schools", hits=hits)) > 40_000
