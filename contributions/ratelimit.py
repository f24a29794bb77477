"""A small fixed-window rate limiter on the Django cache (Redis in production).

Each action is limited per account and per client address, or per key (an
e-mail address); the limits can be tuned with the ``CONTRIBUTIONS_RATE_LIMITS``
setting: {action: (count, seconds)}.

Every limit of the site, allauth's included (its adapter asks ``client_ip``),
is keyed on the client address given by ``client_ip``: behind a TLS proxy set
``TRUSTED_PROXY_COUNT`` so that it is the real client's, not the proxy's.

While Redis is unreachable the limits are counted in each web process's own
memory instead. Failing closed would turn a cache outage into a site where
nobody can contribute; failing wide open would let a flood through exactly
while the operators are busy. Per-process counting keeps a bound (the limit
times the number of processes) and every contribution a person makes in good
faith goes through.
"""

from __future__ import annotations

import hashlib
import ipaddress
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
    # Digest subscriptions: requests per client, e-mails per address, and at
    # most one confirmation link waiting in an inbox per address.
    "subscribe": (5, 3600),  # an anonymous client: IP_FACTOR times this per address
    "subscribe_address": (3, 3600),
    "subscribe_confirm": (1, 3600),
    # Exchange requests between cities (exchanges/): a few new requests an hour, messages in threads.
    "exchange": (5, 3600),
    "exchange_message": (30, 600),
}
# An address may be shared (an office, a city hall): allow it more than one account.
IP_FACTOR = 4
_IN_PROCESS = LocMemCache("ratelimit-while-cache-down", {"MAX_ENTRIES": 10_000})


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "CONTRIBUTIONS_RATE_LIMITS", {})}


def client_ip(request: HttpRequest) -> str:
    """The client's address, the one every rate limit is keyed on.

    With ``TRUSTED_PROXY_COUNT = 0`` (the default) it is REMOTE_ADDR:
    X-Forwarded-For is forgeable by anyone. Behind N trusted proxies, each
    appending the address it received the request from, the real client is
    the Nth address from the right of X-Forwarded-For; whatever stands further
    left was written by the client and is ignored. A header shorter than
    that (a request that did not come through the proxies) or not an address
    falls back on REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


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


def _key_digest(key: str) -> str:
    # The cache never holds the e-mail address itself.
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]


def allow_key(action: str, key: str, now: float | None = None) -> bool:
    """Count one use of ``action`` for ``key`` (an e-mail address…); False
    once the key went over its limit in the current window."""
    limit, period = limits()[action]
    now = time.time() if now is None else now
    return _hit(f"{action}:key:{_key_digest(key)}", limit, period, now)


def reset_key(action: str, key: str, now: float | None = None) -> None:
    """Forget the current window's count of ``action`` for ``key`` (e.g. the
    pending confirmation once it is confirmed)."""
    _limit, period = limits()[action]
    now = time.time() if now is None else now
    full_key = f"ratelimit:{action}:key:{_key_digest(key)}:{int(now // period)}"
    (cache if reachable(cache) else _IN_PROCESS).delete(full_key)
