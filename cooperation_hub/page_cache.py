"""Whole-page cache for anonymous readers, invalidated by generations.

A cached page is stored with the generation of every *tag* it depends on
("site" for all pages; "consultation:<translation key>" for a consultation and
its sub-pages; "contributions" for lists of consultations). Publishing a page
bumps "site"; a contribution, reply, support or moderation action bumps its
consultation's tag. A hit is served only while every stored generation is
still current, so an invalidation is one counter increment: nothing has to
find and delete the pages it affected.

What is never cached: requests carrying a session or messages cookie (members
signed in, a visitor who just received a message), anything but a GET of
a page under a language prefix, search (its answers follow the search index,
which is updated asynchronously), accounts and signed-link pages, and
responses that set a cookie, store something in the session or carry a message.
CSRF tokens are cut out of stored pages and a fresh one is put back for each
visitor, so a form on a cached page (the digest subscription) keeps working.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from .compat import messages_added
from .process_memo import GENERATION_MEMO
from .request_memo import forget

T = TypeVar("T")

logger = logging.getLogger(__name__)

SITE = "site"
CONTRIBUTIONS = "contributions"
# Bumped once the search index has been written (search/indexing.py, search/tasks.py): a worker
# writes it after the publication's commit, so what a search found is kept under this tag as well
# as under "site" (search/answers.py, the experience list's ``?q=``).
SEARCH_INDEX = "search-index"
HIT_HEADER = "X-Page-Cache"
# Paths after the language prefix that are never cached.
UNCACHED_PREFIXES = ("accounts/", "search/", "subscriptions/")
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
CSRF_HOLE = b'name="csrfmiddlewaretoken" value="\x00csrf\x00"'


def consultation_tag(translation_key) -> str:
    return f"consultation:{translation_key}"


def timeout() -> int:
    """Seconds a page is kept at most: bounds what no signal announces (a
    consultation window opening with time, the search index catching up)."""
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


# --- What a view declares ---------------------------------------------------------
def depends_on(request: HttpRequest, *tags: str) -> None:
    """The page being built also shows what these tags cover.

    Called before the view reads the data: the generations are read now, so
    that a change committed while the page renders outdates it.
    """
    generations = getattr(request, "_page_cache_generations", None)
    if generations is None:  # not a request the cache stores
        return
    try:
        generations.update(_generations(set(tags) - set(generations)))
    except Exception:
        logger.warning("page cache: generations unavailable", exc_info=True)
        # Per-request state kept on the request, the Django way (not declared on HttpRequest).
        request._page_cache_generations = None  # type: ignore[attr-defined]


def expires_at(request: HttpRequest, moment: datetime | None) -> None:
    """The page changes by itself at ``moment`` (a consultation opens or closes)."""
    if moment is None:
        return
    current = getattr(request, "_page_cache_expires", None)
    if current is None or moment < current:
        request._page_cache_expires = moment  # type: ignore[attr-defined]  # per-request state


# --- Generations ----------------------------------------------------------------------
def _generation_key(tag: str) -> str:
    return f"pagecache:gen:{tag}"


def _generations(tags) -> dict[str, int]:
    counters = caches["generations"]  # never culled with the pages (settings.CACHES)
    keys = {tag: _generation_key(tag) for tag in tags}
    found = counters.get_many(list(keys.values()))
    generations = {}
    for tag, key in keys.items():
        if key not in found:
            # Start from the clock, not 0: a counter evicted from the cache
            # never comes back at a value that old pages were stored with.
            counters.add(key, time.time_ns(), timeout=None)
            found[key] = counters.get(key)
        generations[tag] = found[key]
    return generations


def _bump(tags) -> None:
    if SITE in tags:
        forget(GENERATION_MEMO)  # the rest of this request reads the new generation
    counters = caches["generations"]
    for tag in tags:
        key = _generation_key(tag)
        try:
            counters.incr(key)
        except ValueError:
            counters.add(key, time.time_ns(), timeout=None)
        except Exception:  # the cache is down: nothing cached can be served either
            logger.warning("page cache: could not invalidate %s", tag, exc_info=True)


def site_generation() -> int | None:
    """The current generation of "site": a key part for what any publication outdates."""
    try:
        return _generations({SITE})[SITE]
    except Exception:  # the cache is down: nothing to key on, nothing to keep
        logger.warning("page cache: generations unavailable", exc_info=True)
        return None


def generation(tag: str) -> int | None:
    """The current generation of ``tag``: a key part for what a change of ``tag`` outdates."""
    try:
        return _generations({tag})[tag]
    except Exception:  # the cache is down: nothing to key on, nothing to keep
        logger.warning("page cache: generations unavailable", exc_info=True)
        return None


def kept_for_generation(name: str, compute: Callable[[], T], *tags: str, seconds: int | None = None) -> T:
    """``compute()``, kept in the cache under the current generations of "site" and of
    ``tags`` (for at most ``seconds``, default ``timeout()``).

    For what a public page would otherwise derive again from all the reports or all
    the contributions (the peer matching's corpus, the map's cities, a consultation's
    tag counts): worked out once after a change, then read in one cache round trip.
    Whatever such a value shows must bump "site" (publication, city, tag, theme,
    privacy) or one of ``tags`` (a consultation's activity) when it changes, as the
    cached pages that show it require anyway.

    One cache entry per ``name``, holding the generations it was worked out under: a
    new generation replaces the value instead of adding one more entry (the embedded
    default's file cache culls at a few hundred entries). What changes with "site"
    alone and is refreshed after every change (``refresh_soon``) may pass a longer
    ``seconds``: its first reader after a publication then finds it already worked out.
    """
    try:
        generations = sorted(_generations({SITE, *tags}).items())
    except Exception:  # the cache is down: work it out every time
        logger.warning("page cache: generations unavailable", exc_info=True)
        return compute()
    key = "kept:" + hashlib.sha256(name.encode()).hexdigest()
    stored = cache.get(key)
    if stored is not None and stored[0] == generations:
        return stored[1]
    value = compute()
    cache.set(key, (generations, value), timeout() if seconds is None else seconds)
    return value


# --- Kept answers worked out again after a change ------------------------------------
# Set while a refresh is queued and not yet started: a burst of publications queues one.
REFRESH_PENDING = "kept:refresh-pending"
# A refresh queued but never run (no worker) stops blocking the next after this long.
REFRESH_PENDING_SECONDS = 120
# What the refresh keeps lasts this long: every change outdates it and queues a refresh anyway.
REFRESHED_SECONDS = 24 * 3600


# The filtered variants (a list or a map with filters) whose kept answers a reader had to work
# out: each refresh works out again the most recent of them, as it does the unfiltered pages.
# Their number is unbounded, so only so many are remembered per family (one list, one map).
RECENT_VARIANTS = 20


def _variants_key(family: str) -> str:
    return "kept:variants:" + hashlib.sha256(family.encode()).hexdigest()


def note_worked_out(family: str, variant: str) -> None:
    """A reader just worked out the kept answers of ``variant`` (its query string) of ``family``:
    the refreshes after the next publications work it out again, while it stays among the
    ``RECENT_VARIANTS`` most recently noted."""
    try:
        noted = [v for v in cache.get(_variants_key(family)) or [] if v != variant]
        cache.set(_variants_key(family), [variant, *noted][:RECENT_VARIANTS], REFRESHED_SECONDS)
    except Exception:  # the cache is down: nothing kept, nothing to refresh
        logger.warning("page cache: could not note a worked-out variant of %s", family, exc_info=True)


def worked_out_variants(family: str) -> list[str]:
    """The variants of ``family`` that readers worked out lately (``note_worked_out``), newest first."""
    try:
        return list(cache.get(_variants_key(family)) or [])
    except Exception:  # the cache is down: nothing kept, nothing to refresh
        return []


def refresh_soon() -> None:
    """Queue ``refresh_kept_answers`` (once for a burst of changes), after a change to "site".

    At 100,000 reports the list's facet counts, the map's cities and the peers' corpus
    take seconds each to work out: a worker pays that after each publication, not the
    first reader. A reader who comes before the worker is done works them out as before.
    """
    if not getattr(settings, "KEPT_ANSWERS_REFRESH", True):
        return
    try:
        if not cache.add(REFRESH_PENDING, True, timeout=REFRESH_PENDING_SECONDS):
            return
    except Exception:  # the cache is down: nothing kept, nothing to refresh
        logger.warning("page cache: could not queue the refresh of kept answers", exc_info=True)
        return
    from .background import enqueue
    from .tasks import refresh_kept_answers

    enqueue(refresh_kept_answers)


def refresh_kept_answers() -> None:
    """Work out again every answer an app registered with the ``refresh_kept_answers`` Wagtail
    hook (experiences: lists and maps; subscriptions: the peers' corpus), under the current
    generations. A change made while it runs queues the next refresh."""
    from wagtail import hooks

    cache.delete(REFRESH_PENDING)
    for refresh in hooks.get_hooks("refresh_kept_answers"):
        try:
            refresh()
        except Exception:  # the others are still worth having; their reader works this one out
            logger.exception("page cache: refreshing kept answers failed in %s", refresh.__qualname__)


def forget_all() -> None:
    """Outdate every cached page (each depends on "site")."""
    _bump([SITE])


# Tags to bump at the end of a ``batched_invalidation()`` block, or None outside one.
_batched: ContextVar[set[str] | None] = ContextVar("page_cache_batched", default=None)


@contextmanager
def batched_invalidation() -> Iterator[None]:
    """Within: invalidations are noted, and each tag is invalidated once at the end.

    For a bulk write (an import saves thousands of pages, cities and tags, each of
    which would bump "site" twice). On an error nothing is bumped: the caller's
    transaction is rolled back, so nothing changed.
    """
    outer = _batched.get()
    token = _batched.set(set())
    try:
        yield
        tags = _batched.get() or set()
    finally:
        _batched.reset(token)
    if outer is not None:
        outer.update(tags)  # nested: the outermost block bumps
    elif tags:
        invalidate(*sorted(tags))


def invalidate(*tags: str) -> None:
    """Forget the cached pages that depend on these tags.

    Now, so that the request that made the change sees it at once, and again
    after the commit, so that a page another request rendered from the data as
    it was before the commit is not kept either.
    """
    pending = _batched.get()
    if pending is not None:
        pending.update(tags)
        return
    _bump(tags)
    transaction.on_commit(lambda: _after_commit(tags))


def _after_commit(tags) -> None:
    _bump(tags)
    if SITE in tags:
        refresh_soon()


# --- The middleware ---------------------------------------------------------------------
def _is_cacheable_request(request: HttpRequest) -> bool:
    if request.method != "GET" or not getattr(settings, "PAGE_CACHE_ENABLED", True):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    path = request.path_info
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return not path[len(prefix) :].startswith(UNCACHED_PREFIXES)
    return False


def _is_cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if any(word in response.get("Cache-Control", "") for word in ("private", "no-store", "no-cache")):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return not messages_added(request)


def _page_key(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return f"pagecache:page:{digest}"


class AnonymousPageCacheMiddleware:
    """Serves anonymous readers' pages from the cache (see the module docstring).

    Placed after the session, CSRF, authentication and messages middleware, so
    that their response phase still runs on a hit (the CSRF cookie of the
    fresh token) and their state can be checked before storing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_cacheable_request(request):
            return self.get_response(request)
        key = _page_key(request)
        try:
            hit = self._lookup(request, key)
        except Exception:  # a cache outage must not take the site down with it
            logger.warning("page cache: lookup failed", exc_info=True)
            return self.get_response(request)
        if hit is not None:
            return hit
        try:
            request._page_cache_generations = _generations({SITE})  # type: ignore[attr-defined]  # per-request state
        except Exception:
            logger.warning("page cache: generations unavailable", exc_info=True)
            return self.get_response(request)
        response = self.get_response(request)
        response[HIT_HEADER] = "miss"
        generations = getattr(request, "_page_cache_generations", None)  # depends_on() may have dropped it
        if generations is not None and _is_cacheable_response(request, response):
            try:
                self._store(request, key, response, generations)
            except Exception:
                logger.warning("page cache: store failed", exc_info=True)
        return response

    def _lookup(self, request: HttpRequest, key: str) -> HttpResponse | None:
        entry = cache.get(key)
        if entry is None or _generations(entry["generations"]) != entry["generations"]:
            return None
        content = entry["content"]
        if entry["csrf"]:
            content = content.replace(CSRF_HOLE, f'name="csrfmiddlewaretoken" value="{get_token(request)}"'.encode())
        response = HttpResponse(content, status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        response[HIT_HEADER] = "hit"
        return response

    def _store(self, request: HttpRequest, key: str, response: HttpResponse, generations: dict) -> None:
        content = response.content
        csrf = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        if csrf:
            content, holes = CSRF_INPUT.subn(CSRF_HOLE, content)
            if not holes:  # the token went somewhere other than a form field
                return
        seconds = timeout()
        expires = getattr(request, "_page_cache_expires", None)
        if expires is not None:
            seconds = min(seconds, int((expires - timezone.now()).total_seconds()))
        if seconds <= 0:
            return
        headers = [(h, v) for h, v in response.items() if h.lower() not in ("set-cookie", HIT_HEADER.lower())]
        entry = {"generations": generations, "status": response.status_code, "headers": headers,
                 "content": content, "csrf": csrf}  # fmt: skip
        cache.set(key, entry, seconds)
