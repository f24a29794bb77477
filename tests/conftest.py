import pytest
from django.core.management import call_command


def _load_demo() -> None:
    from django.core.cache import cache

    # The cache (a file or Redis) outlives the test database: Wagtail's site
    # root paths cached from another database would give pages no URL.
    cache.clear()
    call_command("load_demo", verbosity=0)
    from tests.engine_indexes import rebuild_all

    rebuild_all()


# The demo's rows right after the session's first load (tests/demo_snapshot.py).
_demo_rows: tuple | None = None


def _restore_demo() -> None:
    """The demo back after a transactional test's flush: its rows written back from the
    snapshot taken after the first load (a second or two) rather than loaded again (half a
    minute); loaded again when there is no snapshot."""
    from django.core.cache import cache

    from tests import demo_snapshot
    from tests.engine_indexes import rebuild_all

    if _demo_rows is None:
        _load_demo()
        return
    cache.clear()
    demo_snapshot.restore(_demo_rows)
    rebuild_all(content=True)


SERVICE_MARKERS = ("postgres", "redis", "opensearch", "faults")


def pytest_collection_modifyitems(items):
    """Transactional tests (live server, real worker) end by flushing every
    table, including what migrations created (locales, root page, vocabulary,
    groups). Serialized rollback restores that before the next one starts.

    Markers that select by service, so that `-m "not browser"`, `-m "not services"`
    or `-m opensearch` pick what a machine can run: a test on the search engine
    (the `engine` side of `search_backend`, or `engine_backends`) is `opensearch`,
    one driving Chromium is `browser`, and any test needing a real service is `services`."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)
        callspec = getattr(item, "callspec", None)
        fixtures = getattr(item, "fixturenames", ())
        on_engine = callspec is not None and callspec.params.get("search_backend") == "engine"
        if (on_engine or "engine_backends" in fixtures) and not item.get_closest_marker("opensearch"):
            item.add_marker(pytest.mark.opensearch)
        if "browser_page" in fixtures and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if any(item.get_closest_marker(name) for name in SERVICE_MARKERS):
            item.add_marker(pytest.mark.services)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo content is the baseline world of every test: loaded once per
    session in the test database, each test's changes rolled back after it."""
    global _demo_rows
    from tests import demo_snapshot

    with django_db_blocker.unblock():
        _load_demo()
        _demo_rows = demo_snapshot.take()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Once every fixture is torn down, the test's rollback included: engine indexes back in step
    with the database (tests/engine_indexes.py)."""
    result = yield
    if nextitem is None:  # the last test: the session's database and indexes are gone
        return result
    from pytest_django.plugin import blocking_manager_key

    from tests.engine_indexes import resync_drifted

    with item.config.stash[blocking_manager_key].unblock():
        resync_drifted()
    return result


@pytest.fixture(autouse=True)
def _no_page_from_an_earlier_test():
    """The anonymous page cache outlives each test's rolled-back database, and
    no signal announces a rollback: every test starts with no cached page."""
    from cooperation_hub import page_cache

    page_cache.forget_all()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits (the hub's and allauth's) count in the cache, which
    outlives each test: every test starts with none used (the test client
    always comes from 127.0.0.1)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_outage_from_an_earlier_test():
    """Whether the engine or the broker is down is remembered by the process
    for a few seconds: a test that pointed one at a closed port must not make
    the next test search the database or keep its tasks aside."""
    from cooperation_hub import breaker

    breaker.reset_all()


@pytest.fixture
def no_page_cache(settings):
    """Pages rendered every time: for tests that count what a render costs."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def comparable_lists_left_alone(monkeypatch):
    """For tests of what search, the lists and the map answer, which never read the stored
    comparable-projects lists: the refresh an import or a publication queues for them (and for
    their neighbours) is not run. It was most of such a test's time (2–4 s per import on the
    engine); tests/search/test_comparable*.py and the digests' tests keep it. What the refresh
    did first stays: the engine's index is made searchable, so that what was just published is
    found at once (the engine otherwise refreshes each second: a search in between found nothing)."""
    from search import comparable_store
    from search.engines import client as engine

    def searchable_now(ids: list[int], neighbours: bool) -> None:
        backend = engine.engine_backend()
        if backend is not None and not engine.is_marked_down(backend):
            engine.make_searchable(backend)

    monkeypatch.setattr(comparable_store, "_send", searchable_now)


@pytest.fixture
def demo(db):
    """The demo content (put back from the session's snapshot if a transactional test flushed it)."""
    from wagtail.models import Site

    from cooperation_hub.models import HomePage
    from experiences.models import ExperiencePage

    site = Site.objects.filter(is_default_site=True).first()
    if not ExperiencePage.objects.exists():
        _restore_demo()
    elif site is None or not HomePage.objects.filter(pk=site.root_page_id).exists():
        # A serialized rollback restored the migrations' site and welcome page
        # over the demo: the demo's rows back, its site included.
        _restore_demo()


@pytest.fixture(scope="session")
def _reading_server(django_db_setup):
    from pytest_django.live_server_helper import LiveServer

    from cooperation_hub.compat import live_server_settings

    server = LiveServer("localhost")
    live_server_settings(server).enable()
    yield server
    live_server_settings(server).disable()
    server.stop()


@pytest.fixture
def reading_server(_reading_server, db, demo):
    """A live server over the demo content loaded once per session, for browser
    journeys that only read. Unlike `live_server` it is not transactional: no
    flush and reload of the demo around each test. pytest-django runs `db`
    tests before any transactional test empties the tables. On PostgreSQL what
    the server writes is committed for good: journeys that write use `live_server`."""
    return _reading_server


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


class _RequestsInFlight:
    """The live server's WSGI application, counting the requests it is answering: a test's
    database flush waits for them (see ``browser_page``)."""

    def __init__(self, app) -> None:
        import threading

        self.app, self.answering, self.changed = app, 0, threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            self.answering += 1
        try:
            return self.app(environ, start_response)
        finally:
            with self.changed:
                self.answering -= 1
                self.changed.notify_all()

    def wait_until_idle(self, timeout: float = 30) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.answering == 0, timeout)


def _counted(server) -> _RequestsInFlight:
    httpd = server.thread.httpd
    if not isinstance(httpd.get_app(), _RequestsInFlight):
        httpd.set_app(_RequestsInFlight(httpd.get_app()))
    return httpd.get_app()


@pytest.fixture
def browser_page(monkeypatch, request):
    """A headless Debian Chromium page driven by Playwright. No request may
    leave the test server (no tile server, no CDN)."""
    import os

    from tests.services import IN_CI

    try:
        from playwright import sync_api
    except ImportError:
        if IN_CI:
            pytest.fail("CI needs the playwright package")
        pytest.skip("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"CI needs Chromium at {CHROMIUM}")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls stay synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        outside: list[str] = []
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if not r.url.startswith(("http://localhost", "http://127.0.0.1", "data:"))
                else None
            ),
        )
        servers = [
            _counted(request.getfixturevalue(name))
            for name in ("live_server", "_reading_server")
            if name in request.fixturenames
        ]
        yield page
        # Wagtail's editor releases its editing session with a beacon as the page unloads: sent
        # while the test's teardown empties the tables, it deadlocked PostgreSQL's TRUNCATE
        # (CI, 2026-12-02). Nothing more leaves the page, and what the server is answering ends
        # before the flush.
        page.context.route("**/*", lambda route: route.abort())
        browser.close()
        for server in servers:
            server.wait_until_idle()
        assert not outside, f"the pages fetched outside resources: {outside}"


@pytest.fixture
def worker_env() -> dict[str, str]:
    """What the ``worker_services`` workers add to their environment; a module overrides it."""
    return {}


@pytest.fixture
def worker_services(tmp_path, worker_env):
    """``(smtp, start_worker)``: a real SMTP server and real Celery workers, stopped afterwards
    (tests/services.py ``worker_and_smtp``; skipped without PostgreSQL and Redis, failed in CI)."""
    from tests.services import worker_and_smtp

    with worker_and_smtp(tmp_path, worker_env) as services:
        yield services
