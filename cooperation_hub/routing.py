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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest
from wagtail.models import Page

# Paths remembered per process; the least recently used are forgotten first.
LIMIT = 5000

_lock = threading.Lock()
_routes: OrderedDict[tuple[int, tuple[str, ...]], tuple[int, int, int]] = OrderedDict()


def route_under(home: Page, request: HttpRequest, components: list[str], walk: Callable[..., Any]) -> Any:
    """The route of ``components`` under ``home``: the remembered page's own ``route`` on the
    rest of the path while it is still the page there; Wagtail's ``walk`` otherwise."""
    if not components:
        return walk(request, components)
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
    page = model._default_manager.filter(pk=page_id).first() if model is not None else None
    # Still the page at that path, under this home (else the walk finds what is there now).
    if page is None or _own_components(home, page) != list(components[:consumed]):
        return None
    return page
