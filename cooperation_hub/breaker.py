"""One circuit breaker for every service the site can do without for a while.

After a failure, the cache (Redis), the broker (Celery's Redis) and the search
engine are left alone for a few seconds instead of being tried again on every
call: a page making dozens of cache calls, or a request queuing several tasks,
pays one failed connection, not one per call. The next call after the pause
tries the service again (there is no separate half-open probe: the first caller
is the probe, and a success closes the breaker).

Hand-written rather than pybreaker: the three callers ask "is it open?" without
making a call (the cache answers a miss, the search falls back to the database,
a task is kept aside), and the engine's pause is a setting read at call time so
that ``override_settings`` works. pybreaker's state changes happen only inside
its ``call()``; these twenty lines are simpler than adapting it.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable

logger = logging.getLogger(__name__)

_every_breaker: weakref.WeakSet[Breaker] = weakref.WeakSet()


class Breaker:
    """Open for ``retry_after`` seconds (a number, or a function read at each trip) after a failure."""

    def __init__(self, name: str, retry_after: float | Callable[[], float]) -> None:
        self.name = name
        self._retry_after = retry_after
        self._open_until = 0.0
        self._lock = threading.Lock()
        _every_breaker.add(self)

    @property
    def retry_after(self) -> float:
        return float(self._retry_after() if callable(self._retry_after) else self._retry_after)

    def is_open(self) -> bool:
        """True while the service is left alone after a failure."""
        return time.monotonic() < self._open_until

    def trip(self, exc: BaseException | str = "") -> None:
        """Record a failure: leave the service alone for ``retry_after`` seconds (logged once per outage)."""
        pause = self.retry_after
        with self._lock:
            if not self.is_open():
                logger.warning("%s unavailable, left alone for %ss: %s", self.name, pause, exc)
            self._open_until = time.monotonic() + pause

    def reset(self) -> None:
        """Record a success: try the service at once from now on."""
        with self._lock:
            self._open_until = 0.0


class BreakerSet:
    """One breaker per key (the search engine's breaker is per engine URL)."""

    def __init__(self, name: str, retry_after: float | Callable[[], float]) -> None:
        self.name = name
        self._retry_after = retry_after
        self._breakers: dict[str, Breaker] = {}
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> Breaker:
        with self._lock:
            if key not in self._breakers:
                self._breakers[key] = Breaker(f"{self.name} {key}", self._retry_after)
            return self._breakers[key]


def reset_all() -> None:
    """Close every breaker of this process (tests: no outage carried over from an earlier test)."""
    for breaker in list(_every_breaker):
        breaker.reset()
