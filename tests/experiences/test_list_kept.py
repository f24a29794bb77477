"""The list's parts (its title, <head> lines and body) are rendered once per process for the
site's generation and each filter, sort and page (experiences/views.py ``list_parts``): its next
reader is served them without working anything out; a search is worked out each time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

BODY = "experiences/includes/list_body.html"


def read_with_queries(client, url: str):
    """The response to ``url`` and the number of statements it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/en/experiences/",
        "/fr/experiences/",
        "/en/experiences/?theme=energy-climate&sort=title",
        "/fr/experiences/?page=2",
        "/en/experiences/?q=&sort=title",  # what the sort form sends: an empty search box is no search
    ],
)
def test_the_next_reader_of_a_list_is_served_its_rendered_parts(client, demo, url):
    first, _ = read_with_queries(client, url)
    second, queries = read_with_queries(client, url)
    assert BODY in [t.name for t in first.templates] and BODY not in [t.name for t in second.templates]
    assert second.content == first.content and second.status_code == first.status_code
    assert queries <= 1


def test_each_filter_gets_its_own_list(client, demo):
    everything = client.get("/en/experiences/").content.decode()
    energy = client.get("/en/experiences/?theme=energy-climate").content.decode()
    assert (
        everything != energy and 'class="chip chip-remove"' in energy and 'class="chip chip-remove"' not in everything
    )


def test_a_search_is_worked_out_each_time(client, demo):
    url = "/en/experiences/?q=schools"
    client.get(url)
    assert BODY in [t.name for t in client.get(url).templates]


def test_a_refused_filter_is_refused_to_its_next_reader_too(client, demo):
    url = "/en/experiences/?sdg=99"
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code
    assert first.content == second.content


def test_a_parameter_the_list_does_not_read_is_served_the_kept_parts(client, demo):
    client.get("/en/experiences/?theme=energy-climate")
    response, queries = read_with_queries(
        client, "/en/experiences/?theme=energy-climate&utm_source=newsletter&fbclid=x1"
    )
    assert BODY not in [t.name for t in response.templates] and queries <= 1


@pytest.mark.parametrize("page", ["-1", "0", "two", "9" * 5000, "99999"])
def test_a_page_that_is_not_a_page_number_is_the_first_and_one_past_the_end_the_last(client, demo, page):
    """Walked: ?page=-1 and ?page=0 showed the last page, as Django's paginator answers them."""
    response = client.get(f"/en/experiences/?page={page}")
    first = client.get("/en/experiences/").content.decode()
    last = client.get("/en/experiences/?page=3").content.decode()  # the demo lists its reports on 3 pages at most
    expected = last if page == "99999" else first
    assert response.status_code == 200 and _titles(response.content.decode()) == _titles(expected)
    assert (page == "99999") == ('aria-current="page">1<' not in response.content.decode())


def _titles(html: str) -> list[str]:
    return [line for line in html.splitlines() if "<h3" in line]
