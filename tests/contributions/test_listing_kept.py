"""A consultation's listing (its count, filters, cards and pager) is rendered once per process for
the consultation's activity and each sort, tag, section and first page (contributions/views.py
``_kept_listing``): its next reader is served it; what a reader alone sees (the form, the
sign-in prompt) is rendered for each; any activity shows at once."""

import pytest

from contributions import actions
from tests.experiences.test_list_kept import read_with_queries

from .conftest import make_contribution, make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

LISTING = "contributions/includes/contribution_listing.html"


def _rendered(response) -> bool:
    return LISTING in [t.name for t in response.templates]


@pytest.fixture
def author(consultation):
    author = make_member("writer", display_name="Awa Diop")
    for i in range(12):
        make_contribution(consultation, author, title=f"Idée numéro {i}", tags=["energie"])
    return author


@pytest.mark.parametrize("query", ["", "?sort=supported", "?tag=energie", "?section=alpha&page=2", "?page=2"])
def test_the_next_reader_of_a_consultation_is_served_its_listing(client, consultation, author, query):
    url = consultation.url + query
    first, before = read_with_queries(client, url)
    second, after = read_with_queries(client, url)
    assert _rendered(first) and not _rendered(second)
    assert second.content == first.content and after < before


def test_a_search_in_the_consultation_is_worked_out_each_time(client, consultation, author):
    url = consultation.url + "?q=numéro"
    client.get(url)
    assert _rendered(client.get(url))


def test_a_new_contribution_a_support_and_a_new_name_show_on_the_next_reading(client, consultation, author):
    client.get(consultation.url)
    other = make_member("reader")
    newest = make_contribution(consultation, other, title="Une idée toute neuve")
    assert "Une idée toute neuve" in client.get(consultation.url).content.decode()
    actions.set_support(other, consultation.contributions.exclude(pk=newest.pk).first(), True)
    assert _rendered(client.get(consultation.url + "?sort=supported"))
    author.display_name = "Awa Diop-Sarr"
    author.save()
    assert "Awa Diop-Sarr" in client.get(consultation.url).content.decode()


def test_a_login_does_not_outdate_the_listing(client, consultation, author):
    client.get(consultation.url)
    client.force_login(author)  # writes last_login only
    assert not _rendered(client.get(consultation.url))


def test_what_a_member_sees_is_theirs_beside_the_kept_listing(client, consultation, author):
    anonymous = client.get(consultation.url).content.decode()
    client.force_login(make_member("signed"))
    member = client.get(consultation.url).content.decode()
    assert "Sign in" in anonymous or "Se connecter" in anonymous
    assert 'name="body"' in member and 'name="body"' not in anonymous
    assert anonymous[anonymous.index("contributions-title") :] == member[member.index("contributions-title") :]


def test_the_pager_keeps_the_filters_the_listing_reads_only(client, consultation, author):
    html = client.get(consultation.url + "?tag=energie&utm_source=newsletter").content.decode()
    assert "?tag=energie&amp;page=2" in html and "utm_source" not in html.split("contributions-title")[1]
