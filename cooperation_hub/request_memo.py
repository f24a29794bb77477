"""Values worked out once per request and kept to its end.

A page view asks several times for things that cannot change while it is answered, or only
through a write that says so: the private sections' paths (each list, count and search starts
from them: eight queries for one report page), the lexicon in force (dozens of lookups per
search, each one a check of the shared cache). ``RequestMemoMiddleware`` opens the memo for
each request, ``kept_within()`` for a block of work outside one (a refresh of comparable
projects in a task: lexicon.held). Elsewhere (a command, a test calling a function) nothing
is kept and each call works the value out again.

A write that changes such a value in the middle of a request calls ``forget(key)``, so that
the rest of the request sees the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_memo: ContextVar[dict[str, Any] | None] = ContextVar("request_memo", default=None)


@contextmanager
def kept_within() -> Iterator[None]:
    """Values worked out once within the block; within a request (or an outer block), its memo."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def once_per_request(key: str, compute: Callable[[], T]) -> T:
    """``compute()`` the first time ``key`` is asked for within a request, the kept value after."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(key: str) -> None:
    """The rest of this request works ``key`` out again (a write changed it)."""
    memo = _memo.get()
    if memo:
        memo.pop(key, None)


class RequestMemoMiddleware:
    """After the page cache: a page served from it works nothing out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with kept_within():
            return self.get_response(request)
