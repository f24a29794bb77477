"""Values kept by the process for one generation of the site.

Every page asks the database the same things about the site's structure before any of our
code runs: which Wagtail site answers this host, which home page is the reader's language,
which sections are private. Each is a statement (about a millisecond of the ORM's Python
each, five to seven of them, on every page) and each changes only through a write that
bumps the "site" generation (cooperation_hub/page_cache_signals.py: a site, a locale, a
page, a view restriction saved or deleted). So the process keeps them for as long as that
generation lasts: the generation is read once per request (a cache read), and a new one
empties what was kept.

Where the generations cannot be read (the cache is down) nothing is kept and each value is
worked out again, as before. What is kept is shared by every request of the process: keep
values that are not changed once made (ids, paths, rows read for reading, rendered HTML).
At most ``LIMIT`` values and ``settings.PROCESS_MEMO_MB`` of rendered text are kept, the least
recently asked for going first: rendered report cards and bodies are kept per report, and a
network of 100,000 reports must not keep them all in every web process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .request_memo import once_per_request

if TYPE_CHECKING:
    from django.http import HttpRequest

T = TypeVar("T")

GENERATION_MEMO = "site_generation"
# A list's first pages, whose rendered parts are kept: a crawler walking hundreds of further pages
# would push out what every reader needs (the list, a city, the map, a consultation's listing).
KEPT_PAGES = 3
LIMIT = 5000
# What a value that is not text is counted as, in characters (a few rows, a list of ids).
OTHER_WEIGHT = 1000

_lock = threading.Lock()
_kept: OrderedDict[str, Any] = OrderedDict()
_kept_generation: list[int | None] = [None]
_weights: dict[str, int] = {}


def _weight(value: Any) -> int:
    """Characters of rendered text (a card, a page's parts beside their flags), what a value says it
    weighs (``kept_weight()``: a search's result and its snippets), or OTHER_WEIGHT."""
    if isinstance(value, str):
        return len(value)
    if callable(getattr(value, "kept_weight", None)):
        return value.kept_weight()
    texts = [v for v in value.values() if isinstance(v, str)] if isinstance(value, dict) else []
    return sum(len(v) for v in texts) if texts else OTHER_WEIGHT


def _budget() -> int:
    from django.conf import settings

    return getattr(settings, "PROCESS_MEMO_MB", 16) * 1_000_000


def current_generation() -> int | None:
    """The site's generation, read once per request (a write that bumps it forgets it:
    page_cache.invalidate)."""
    from . import page_cache

    return once_per_request(GENERATION_MEMO, page_cache.site_generation)


def kept_by_process(name: str, compute: Callable[[], T]) -> T:
    """``compute()`` the first time ``name`` is asked for in this generation of the site,
    the kept value after, in any request of this process."""
    generation = current_generation()
    if generation is None:
        return compute()
    with _lock:
        if _kept_generation[0] != generation:
            _kept.clear()
            _weights.clear()
            _kept_generation[0] = generation
        elif name in _kept:
            _kept.move_to_end(name)
            return _kept[name]
    value = compute()
    with _lock:
        if _kept_generation[0] == generation:
            _kept[name] = value
            _weights[name] = _weight(value)
            budget = _budget()
            while len(_kept) > LIMIT or (len(_kept) > 1 and sum(_weights.values()) > budget):
                oldest, _value = _kept.popitem(last=False)
                _weights.pop(oldest, None)
    return value


def forget(name: str) -> None:
    """The next request works ``name`` out again (a write changed it before the generation
    was bumped: within ``page_cache.batched_invalidation``)."""
    with _lock:
        _kept.pop(name, None)
        _weights.pop(name, None)


def forget_all(prefix: str = "") -> None:
    """What the process kept under names starting with ``prefix`` (all by default) is worked out
    again by the next request that asks for it."""
    with _lock:
        for name in [name for name in _kept if name.startswith(prefix)]:
            del _kept[name]
            _weights.pop(name, None)


def rendered_name(kind: str, request: HttpRequest | None, *parts: object) -> str:
    """The name HTML rendered for ``parts`` is kept under: in the active language, for the
    request's site (its links are relative to it)."""
    from django.utils.translation import get_language
    from wagtail.models import Site

    site = Site.find_for_request(request) if request is not None else None
    return ":".join(str(part) for part in (kind, get_language(), site.pk if site else "", *parts))
