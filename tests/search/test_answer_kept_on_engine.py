"""On an engine too, a repeated search is the result the process kept: the engine is not asked
again, and the page shows the same. A report published and indexed by the worker shows in the
very next search: the engine's index is refreshed before the "search-index" bump
(search/indexing.py ``index_written``), so no answer without it is kept under the new generation."""

import pytest

from experiences.models import ExperiencePage
from search.engines import client as engine_client
from tests.experiences.helpers import import_records, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comparable_lists_left_alone", "no_page_cache")]
SEARCH = "/en/search/?q=wompelcraft"


def _publish(number: int, forget: list) -> None:
    import_records(
        record(f"wompel-{number}", title=f"Wompelcraft plan {number}", summary="The wompelcraft energy plan.")
    )
    forget.extend(ExperiencePage.objects.filter(external_id=f"wompel-{number}"))


@pytest.fixture
def engine_asked(monkeypatch) -> list[int]:
    """How many times the engine was asked a search (the real engine answers each time)."""
    asked: list[int] = []
    search = engine_client.search

    def counted(*args, **kwargs):
        asked.append(1)
        return search(*args, **kwargs)

    monkeypatch.setattr(engine_client, "search", counted)
    return asked


def _shown(response) -> tuple:
    result = response.context["result"]
    return result.backend, result.count, [hit.url for hit in result.hits]


def test_a_repeated_search_is_kept_and_a_publication_shows_in_the_next_one(
    search_backend, forget_in_engine, engine_asked, client
):
    _publish(1, forget_in_engine)
    first = client.get(SEARCH)
    asked_once = len(engine_asked)
    again = client.get(SEARCH)
    assert _shown(again) == _shown(first) and _shown(first)[:2] == (search_backend, 1)
    assert len(engine_asked) == asked_once  # not asked again (0 on the database backend)

    _publish(2, forget_in_engine)  # published, then indexed by the (eager) worker
    after = client.get(SEARCH)
    assert _shown(after)[1] == 2 and "Wompelcraft plan 2" in after.content.decode()


def test_the_list_searched_again_after_a_publication_shows_the_new_report(search_backend, forget_in_engine, client):
    """The list's ``?q=`` keeps the ids its search found (experiences/filters.py ``search_ids``), on
    an engine as on the database: kept until the index is written, not past it."""
    _publish(1, forget_in_engine)
    url = "/en/experiences/?q=wompelcraft"
    assert [e.title for e in client.get(url).context["experiences"]] == ["Wompelcraft plan 1"]
    _publish(2, forget_in_engine)
    assert {e.title for e in client.get(url).context["experiences"]} == {"Wompelcraft plan 1", "Wompelcraft plan 2"}
