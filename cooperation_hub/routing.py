"""Which page a path leads to, remembered by the process.

Wagtail finds the page of a path by walking the tree from the site's home page: a statement
for each level and one more for each page's specific class (four for a report, each about a
millisecond of the ORM's Python). The page a path led to is remembered instead, and read
again by its id: one statement.

A remembered page is only taken while it is still the page at that path: its address
(``url_path``) is checked once it is read, so a page renamed, moved or deleted since is
walked to again, and so is a path whose page now refuses it (unpublished: the walk may then
find the original a report was translated from, experiences.translation). What the walk
checks still runs: the page's own ``route`` gets what follows its path (an index's own
routes: a city, the map; or nothing, and a page that is not live is refused), and Wagtail's
``before_serve_page`` hooks (view restrictions) run on its result.

Before the walk, Wagtail reads the site that answers the host and the home page in the
reader's language (four statements). Both are kept by the process for the site's generation
(cooperation_hub/process_memo.py): ``KeptSiteMiddleware`` gives the request its site, whose
root is the home page, and ``localized_home`` the reader's home page from it. Those kept
pages only start the walk; the home page served is a copy of its own.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site
from wagtail.views import serve as wagtail_serve

from .process_memo import kept_by_process

# Paths remembered per process; the least recently used are forgotten first.
LIMIT = 5000

_lock = threading.Lock()
_routes: OrderedDict[tuple[int, tuple[str, ...]], tuple[int, int, int]] = OrderedDict()


def route_under(home: Page, request: HttpRequest, components: list[str], walk: Callable[..., Any]) -> Any:
    """The route of ``components`` under ``home``: the remembered page's own ``route`` on the
    rest of the path while it is still the page there; Wagtail's ``walk`` otherwise."""
    if not components:
        result = walk(request, components)
        # The home page itself: served from a copy, never from the instance the process keeps.
        result.page = copy.copy(result.page)
        return result
    key = (home.pk, tuple(components))
    with _lock:
        kept = _routes.get(key)
        if kept is not None:
            _routes.move_to_end(key)
    if kept is not None:
        page = _read(home, components, *kept)
        if page is not None:
            try:
                return page.route(request, components[kept[2] :])
            except Http404:
                pass  # refused now: the walk says what the path leads to instead
    result = walk(request, components)
    page = result[0]
    own = _own_components(home, page)
    # Remembered only when the page was reached by its own path (not a translation's fallback).
    if own is not None and list(components[: len(own)]) == own:
        with _lock:
            _routes[key] = (page.pk, page.content_type_id, len(own))
            while len(_routes) > LIMIT:
                _routes.popitem(last=False)
    return result


def _own_components(home: Page, page: Page) -> list[str] | None:
    if not page.url_path.startswith(home.url_path):
        return None
    return [part for part in page.url_path[len(home.url_path) :].split("/") if part]


def _read(home: Page, components: list[str], page_id: int, content_type_id: int, consumed: int) -> Page | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page: Page | None = model._default_manager.filter(pk=page_id).first() if model is not None else None
    # Still the page at that path, under this home (else the walk finds what is there now).
    if page is None or _own_components(home, page) != list(components[:consumed]):
        return None
    page.locale = kept_locale(page.locale_id)  # every page asks for its language
    return page


def kept_locale(locale_id: int) -> Locale:
    """A locale by its id, kept by the process for the site's generation."""
    return kept_by_process(f"locale:{locale_id}", lambda: Locale.objects.get(pk=locale_id))


def localized_home(home: Page, localize: Callable[[], Page]) -> Page:
    """The home page in the reader's language (``localize()``: Wagtail's ``localized``, three
    statements), kept by the process for the site's generation. Shared by the process's
    requests: only to start a walk from, or to link to."""

    def read() -> Page:
        page = localize().specific
        page.locale = kept_locale(page.locale_id)
        return page

    return kept_by_process(f"home:{home.pk}:{get_language()}", read)


class KeptSiteMiddleware:
    """Gives a page's request the Wagtail site of its host, kept by the process for the site's
    generation, with its root read as its specific page (the home page): Wagtail asks for it
    again on every page (``Site.find_for_request``), one statement, then three for the
    reader's home page. Only for Wagtail's pages: a probe (/healthz) must ask nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any) -> None:
        if view is wagtail_serve and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = kept_site(request)  # type: ignore[attr-defined]


def kept_site(request: HttpRequest) -> Site | None:
    """The Wagtail site of the request's host (Wagtail's rule), kept by the process for the
    site's generation; a copy, so that what a request sets on it stays its own."""
    hostname = split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]  # Wagtail's own read
    known = kept_by_process("site:hostnames", lambda: set(Site.objects.values_list("hostname", flat=True)))
    # Any other host gets the default site, whatever its port: one entry for them all, so
    # that made-up Host headers cannot fill the process's memory.
    key = f"site:{hostname}:{request.get_port()}" if hostname in known else "site:*"
    site = kept_by_process(key, lambda: _site_with_specific_root(request))
    return copy.copy(site) if site is not None else None


def _site_with_specific_root(request: HttpRequest) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    return site
