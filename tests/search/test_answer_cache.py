"""A repeated search is answered from what search/answers.py keeps (and the list's ``?q=`` from
what experiences/filters.py keeps), with fewer queries and the same page; a publication, or the
search index written by a worker after it, shows at once in the next search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation_hub import page_cache
from experiences.models import ExperiencePage
from tests.experiences.helpers import import_records, record

from .conftest import database_backends

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comparable_lists_left_alone")]
SEARCH = "/en/search/?q=zorblax&theme=energy-climate"
LIST = "/en/experiences/?q=zorblax"


@pytest.fixture
def zorblax(settings, no_page_cache):
    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    _reports(0, 3)
    import_records(record("quokka-0", title="Quokka plan", summary="Nothing to do with the others."))


def _reports(start: int, count: int) -> None:
    import_records(*[
        record(f"zorblax-{i}", title=f"Zorblax plan {i}", summary=f"The zorblax energy plan number {i}.",
               city=f"Zorbcity {i}", country="SN", themes=["energy-climate"], sdgs=[7], tags=["zorblax"])
        for i in range(start, start + count)
    ])  # fmt: skip


def _get(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(queries)


def _shown(response) -> tuple:
    """What the reader sees of a search page: the count, the hits in order, every facet's counts."""
    result = response.context["result"]
    facets = [(g["name"], [(o["value"], o["count"], o["checked"]) for o in g["options"]])
              for g in response.context["facet_groups"]]  # fmt: skip
    return result.count, [hit.url for hit in result.hits], facets


def test_a_repeated_search_page_costs_fewer_queries_and_shows_the_same(client, settings, zorblax):
    client.get(SEARCH)  # Wagtail's own caches (sites, URLs)
    settings.SEARCH_ANSWER_CACHE = False
    cold, cold_queries = _get(client, SEARCH)  # worked out every time
    settings.SEARCH_ANSWER_CACHE = True
    _get(client, SEARCH)  # worked out and kept
    warm, warm_queries = _get(client, SEARCH)
    # Kept: the matches of the three types, their re-ranking, the facet counts, the place names
    # (the private sections' paths are read once per request either way).
    assert warm_queries <= cold_queries - 4, (cold_queries, warm_queries)
    assert _shown(warm) == _shown(cold)
    assert _shown(warm)[0] == 3 and "Zorblax plan 2" in warm.content.decode()


def test_a_publication_between_two_searches_shows_the_new_report(client, zorblax):
    _get(client, SEARCH)
    before, kept_queries = _get(client, SEARCH)
    assert before.context["result"].count == 3
    _reports(3, 1)  # published (the site's generation bumped) and indexed
    after, queries = _get(client, SEARCH)
    assert after.context["result"].count == 4 and "Zorblax plan 3" in after.content.decode()
    assert queries > kept_queries  # worked out again


def test_the_index_written_after_the_commit_shows_in_the_next_search(client, zorblax):
    """A worker writes the index after the publication's commit: an answer worked out in between
    (without the new text) is not served once the index has it."""
    from search.indexing import index_object

    quokka = ExperiencePage.objects.get(external_id="quokka-0")
    # The publication: the report's text changes and the site's generation is bumped, the index not yet.
    ExperiencePage.objects.filter(pk=quokka.pk).update(summary="Now a zorblax energy plan too.")
    page_cache.invalidate(page_cache.SITE)
    url = "/en/search/?q=zorblax"
    _get(client, url)
    assert _get(client, url)[0].context["result"].count == 3  # the index does not know yet
    index_object(ExperiencePage, str(quokka.pk))  # the worker
    response, _queries = _get(client, url)
    assert response.context["result"].count == 4 and "Quokka plan" in response.content.decode()


def test_the_list_with_a_query_repeated_and_after_a_publication(client, zorblax):
    client.get(LIST)
    first, first_queries = _get(client, LIST)
    _reports(3, 1)
    after, after_queries = _get(client, LIST)
    repeated, repeated_queries = _get(client, LIST)
    assert "Zorblax plan 3" not in first.content.decode() and "Zorblax plan 3" in after.content.decode()
    assert [e.pk for e in repeated.context["experiences"]] == [e.pk for e in after.context["experiences"]]
    # Kept: the MATCH and the facet counts' statement.
    assert repeated_queries <= after_queries - 2 and repeated_queries == first_queries


def test_a_repeated_search_with_a_typo_keeps_its_correction(client, settings, zorblax):
    """A search that finds nothing is answered with its spelling correction's results
    (search/spelling.py reads the network's vocabulary for it): kept too, the same page."""
    url = "/en/search/?q=zorbalx"
    client.get(url)
    settings.SEARCH_ANSWER_CACHE = False
    cold, cold_queries = _get(client, url)
    settings.SEARCH_ANSWER_CACHE = True
    _get(client, url)
    warm, warm_queries = _get(client, url)
    assert warm.context["result"].corrected_from == cold.context["result"].corrected_from == "zorbalx"
    assert _shown(warm) == _shown(cold) and _shown(warm)[0] == 3
    assert warm_queries <= cold_queries - 5, (cold_queries, warm_queries)


# --- autocomplete: each keystroke of each reader asks ---

AUTOCOMPLETE = "/api/search/autocomplete/?q=zorbl&lang=en"


def _suggested(client) -> tuple[list[str], int]:
    response, queries = _get(client, AUTOCOMPLETE)
    return [s["value"] for s in response.json()["suggestions"]], queries


def test_a_repeated_suggestion_costs_no_query_and_is_the_same(client, zorblax):
    first, cold = _suggested(client)
    again, warm = _suggested(client)
    assert again == first and "Zorblax plan 0" in first and "zorblax" in first
    assert warm == 0 < cold, (cold, warm)


def test_a_publication_between_two_keystrokes_is_suggested(client, demo, zorblax):
    from contributions.models import Contribution

    assert "Zorblax plan 3" not in _suggested(client)[0]
    _reports(3, 1)
    assert "Zorblax plan 3" in _suggested(client)[0]
    # A tag only a contribution uses is suggested, and no longer once that contribution is hidden.
    contribution = Contribution.objects.filter(state="published").first()
    contribution.tags.add("zorblaxcontributiontag")
    contribution.save()
    assert "zorblaxcontributiontag" in _suggested(client)[0]
    contribution.state = Contribution.State.HIDDEN
    contribution.save()
    assert "zorblaxcontributiontag" not in _suggested(client)[0]


# --- the whole result and its rendered parts, kept by the process ---

PARTS = ("search/includes/hits.html", "search/includes/facets.html")


def _rendered(response) -> list[str]:
    return [t.name for t in response.templates if t.name in PARTS]


def test_a_repeated_search_page_is_served_its_kept_hits_and_facets(client, zorblax):
    first, first_queries = _get(client, SEARCH)
    second, second_queries = _get(client, SEARCH)
    assert _rendered(first) == list(PARTS) and _rendered(second) == []
    assert second.content == first.content and second_queries < first_queries and second_queries <= 2


def test_each_reader_sees_the_search_as_typed_and_in_their_language(client, zorblax):
    assert "Zorblax plan 0" in client.get("/en/search/?q=Zorblax").content.decode()
    html = client.get("/en/search/?q=zorblax").content.decode()
    assert "results for “zorblax”" in html and 'value="zorblax"' in html
    french = client.get("/fr/search/?q=zorblax").content.decode()
    assert "Affiner" in french and "Written in English" not in french


def test_a_hidden_contribution_leaves_the_next_search(client, demo, zorblax):
    from contributions.models import Contribution

    contribution = Contribution.objects.filter(state="published").first()
    contribution.title = "Une contribution zorblax"
    contribution.save()
    url = "/fr/search/?q=zorblax&type=contribution"
    client.get(url)
    assert "Une contribution zorblax" in _get(client, url)[0].content.decode()
    contribution.state = Contribution.State.HIDDEN
    contribution.save()
    assert "Une contribution zorblax" not in _get(client, url)[0].content.decode()


def test_the_api_answers_a_repeated_search_the_same(client, zorblax):
    url = "/api/search/?q=zorblax&lang=en"
    first = client.get(url).json()
    assert client.get(url).json() == first and first["count"] == 3
