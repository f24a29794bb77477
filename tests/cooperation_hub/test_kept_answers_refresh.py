"""After a publication a worker works out again what the lists, the maps and the peers pages keep
under the site's generation (cooperation_hub/page_cache.py ``refresh_soon``), and the filtered lists
and maps readers worked out lately: their first reader pays what any later reader pays, and sees
the new report."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation_hub import page_cache, process_memo
from tests.experiences.helpers import import_records, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comparable_lists_left_alone", "no_page_cache")]

PAGES = [
    "/en/experiences/",
    "/fr/experiences/",
    "/en/experiences/map/",
    "/fr/experiences/map/",
    "/api/map/experiences.geojson?lang=en",
    "/en/cities/grenoble-fr/peers/",
    # Filtered variants a reader worked out before the publication: the refresh works them out again.
    "/en/experiences/?theme=energy-climate",
    "/fr/experiences/map/?region=north",
]


def _read(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


# Statements a page asks once per process and generation (cooperation_hub/process_memo.py).
PROCESS_MEMO = 2


def _publish(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        import_records(
            record(
                "kept-refresh-probe", title="Kept refresh probe in Grenoble", city="Grenoble", themes=["energy-climate"]
            )
        )


def _after_a_publication(client, settings, callbacks, refresh: bool) -> dict[str, tuple[int, int, str]]:
    """Each page's queries for its first reader after a publication and for the next one, and
    what the first read."""
    settings.KEPT_ANSWERS_REFRESH = refresh
    for url in PAGES:
        _read(client, url)  # Wagtail's own per-process caches
    page_cache.forget_all()
    _publish(callbacks)
    # The navigation (kept per language) is not among the refreshed answers: read once before. Nor
    # is what each web process keeps of the site's structure (cooperation_hub/process_memo.py: the
    # site, the home pages, the private sections), worked out by the first page it serves, nor the
    # few statements (PROCESS_MEMO at most) its first list or report asks once (the other languages'
    # indexes, a page's translations).
    _read(client, "/en/privacy/")
    _read(client, "/fr/privacy/")
    _read(client, "/en/")
    _read(client, "/fr/")
    firsts = {url: _read(client, url) for url in PAGES}
    # The next reader compared is one whose process renders the list and the map again from what
    # the cache keeps (the rendered pages a process keeps are not what the refresh is about).
    following = {}
    for url in PAGES:
        for rendered in ("list:", "map:", "city:"):
            process_memo.forget_all(rendered)
        following[url] = _read(client, url)[0]
    return {url: (first, following[url], html) for url, (first, html) in firsts.items()}


def test_the_first_reader_after_a_publication_pays_what_the_next_one_pays(
    client, demo, settings, django_capture_on_commit_callbacks
):
    pages = _after_a_publication(client, settings, django_capture_on_commit_callbacks, refresh=True)
    for url, (first, following, html) in pages.items():
        assert following <= first <= following + PROCESS_MEMO, (url, first, following)
        if "/experiences/?" in url or url.endswith("/experiences/"):
            assert "Kept refresh probe in Grenoble" in html, url


def test_without_the_refresh_the_first_reader_works_them_out(
    client, demo, settings, django_capture_on_commit_callbacks
):
    """What the refresh saves: each of these pages' first reader would count facets, cities or the corpus."""
    pages = _after_a_publication(client, settings, django_capture_on_commit_callbacks, refresh=False)
    for url, (first, following, _html) in pages.items():
        assert first > following + PROCESS_MEMO, (url, first, following)


def test_only_the_most_recently_worked_out_variants_are_remembered(db):
    family = "test-family"
    for n in range(page_cache.RECENT_VARIANTS + 5):
        page_cache.note_worked_out(family, f"?page-variant={n}")
    remembered = page_cache.worked_out_variants(family)
    assert len(remembered) == page_cache.RECENT_VARIANTS
    assert remembered[0] == f"?page-variant={page_cache.RECENT_VARIANTS + 4}"
    assert "?page-variant=0" not in remembered


def test_a_burst_of_changes_queues_one_refresh(db, settings, monkeypatch):
    settings.KEPT_ANSWERS_REFRESH = True
    queued = []
    monkeypatch.setattr("cooperation_hub.background.enqueue", lambda task, *a, **k: queued.append(task.name))
    page_cache.refresh_kept_answers()  # clears what an earlier test left pending
    for _ in range(5):
        page_cache.refresh_soon()
    assert queued == ["cooperation_hub.refresh_kept_answers"]
    page_cache.refresh_kept_answers()  # the worker starts: the next change queues again
    page_cache.refresh_soon()
    assert len(queued) == 2
