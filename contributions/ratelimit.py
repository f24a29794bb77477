"""A small fixed-window rate limiter on the Django cache (Redis in production).

Each action is limited per account and per client address; the limits can be
tuned with the ``CONTRIBUTIONS_RATE_LIMITS`` setting: {action: (count, seconds)}.

While Redis is unreachable the limits are counted in each web process's own
memory instead. Failing closed would turn a cache outage into a site where
nobody can contribute; failing wide open would let a flood through exactly
while the operators are busy. Per-process counting keeps a bound (the limit
times the number of processes) and every contribution a person makes in good
faith goes through.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest

from cooperation_hub.cache import reachable

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "contribute": (5, 600),
    "reply": (20, 600),
    "support": (60, 600),
    "report": (10, 3600),
    "edit": (30, 600),
}
# An address may be shared (an office, a city hall): allow it more than one account.
IP_FACTOR = 4
_IN_PROCESS = LocMemCache("ratelimit-while-cache-down", {"MAX_ENTRIES": 10_000})


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "CONTRIBUTIONS_RATE_LIMITS", {})}


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is forgeable unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _hit(key: str, limit: int, period: int, now: float) -> bool:
    """Count one hit in the current window; True while under the limit."""
    window = int(now // period)
    full_key = f"ratelimit:{key}:{window}"
    counters = cache if reachable(cache) else _IN_PROCESS
    if counters.add(full_key, 1, timeout=period + 1):
        count = 1
    else:
        try:
            count = counters.incr(full_key)
        except ValueError:  # expired between add and incr (or the cache just went down)
            counters.set(full_key, 1, timeout=period + 1)
            count = 1
    return count <= limit


def allow(action: str, request: HttpRequest, now: float | None = None) -> bool:
    """Count this request for ``action``; False when the account or the address
    went over its limit in the current window."""
    limit, period = limits()[action]
    now = time.time() if now is None else now
    ok = True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        ok = _hit(f"{action}:user:{user.pk}", limit, period, now) and ok
    ok = _hit(f"{action}:ip:{client_ip(request)}", limit * IP_FACTOR, period, now) and ok
    return ok
