"""The site's cache on Redis, failing open: an unreachable Redis is a slower
site, never a broken one.

While Redis does not answer, reads miss, writes are dropped and ``incr`` acts as
if the key were missing; nothing the site keeps only in the cache is precious
(pages, Wagtail's lookups, rate-limit counters). After a failure the cache does
not try Redis again for ``RETRY_AFTER`` seconds, so that a page making dozens of
cache calls does not pay a connection attempt for each of them.
"""

from __future__ import annotations

import functools

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .breaker import Breaker

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 5.0  # seconds
_ABSENT = object()


class _Missing(ValueError):
    """What ``incr`` raises while Redis is down: the same as for a missing key."""


def _fail_open(default=None, *, missing: bool = False):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if not self.reachable():
                if missing:
                    raise _Missing("cache unreachable")
                return default() if callable(default) else default
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self._unreachable(exc)
                if missing:
                    raise _Missing("cache unreachable") from exc
                return default() if callable(default) else default

        return wrapper

    return decorate


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.breaker = Breaker("cache: Redis", RETRY_AFTER)

    def get(self, key, default=None, version=None):
        # The caller's default (get_or_set passes a sentinel) on a miss and while unreachable.
        value = self._get(key, _ABSENT, version)
        return default if value is _ABSENT else value

    def reachable(self) -> bool:
        """False for a while after Redis failed to answer."""
        return not self.breaker.is_open()

    def _unreachable(self, exc: BaseException) -> None:
        self.breaker.trip(exc)

    add = _fail_open(False)(RedisCache.add)
    _get = _fail_open(_ABSENT)(RedisCache.get)
    set = _fail_open(None)(RedisCache.set)
    touch = _fail_open(False)(RedisCache.touch)
    delete = _fail_open(False)(RedisCache.delete)
    get_many = _fail_open(dict)(RedisCache.get_many)
    has_key = _fail_open(False)(RedisCache.has_key)
    incr = _fail_open(missing=True)(RedisCache.incr)
    set_many = _fail_open(list)(RedisCache.set_many)
    delete_many = _fail_open(None)(RedisCache.delete_many)
    clear = _fail_open(False)(RedisCache.clear)


def reachable(cache) -> bool:
    """Whether ``cache`` is answering (always True for caches that cannot fail)."""
    check = getattr(cache, "reachable", None)
    return check() if check else True
