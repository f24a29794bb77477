"""Redis unreachable (nothing listens on the discard port): the cache fails open,
rate limits count in the process, and work the broker refuses is kept.
The same faults on real, stopped services: tests/faults/."""

import pytest
from celery import Celery
from django.test import RequestFactory

from contributions import ratelimit
from cooperation_hub import background
from cooperation_hub.cache import FailOpenRedisCache
from cooperation_hub.models import DeferredTask

NOWHERE = "redis://127.0.0.1:9/0"


@pytest.fixture
def unreachable_cache():
    return FailOpenRedisCache(NOWHERE, {"OPTIONS": {"socket_connect_timeout": 1}})


def test_an_unreachable_cache_misses_drops_writes_and_keeps_answering(unreachable_cache):
    cache = unreachable_cache
    assert cache.get("page", "default") == "default"
    assert cache.set("page", "html") is None and cache.add("page", "html") is False
    assert cache.get_or_set("page", "fresh") == "fresh"
    assert cache.get_many(["a", "b"]) == {} and not cache.has_key("page")
    with pytest.raises(ValueError):  # like a missing key: callers already handle it
        cache.incr("counter")
    assert not cache.reachable()


def test_rate_limits_still_hold_per_process_while_the_cache_is_down(unreachable_cache, monkeypatch, settings):
    settings.CONTRIBUTIONS_RATE_LIMITS = {"contribute": (2, 600)}
    monkeypatch.setattr(ratelimit, "cache", unreachable_cache)
    unreachable_cache.get("wake-up")  # the first failure switches to in-process counting
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    allowed = [ratelimit.allow("contribute", request) for _ in range(2 * ratelimit.IP_FACTOR + 1)]
    assert allowed == [True] * (2 * ratelimit.IP_FACTOR) + [False]


def test_work_the_broker_refuses_is_kept_in_the_database_without_trying_again_at_once(db, monkeypatch):
    down = Celery("broker-down", broker=NOWHERE, set_as_current=False)
    down.conf.broker_connection_timeout = 1
    down.conf.task_publish_retry_policy = {"max_retries": 0}

    @down.task(name="tests.remember_me")
    def remember_me(n, word=""):
        return n

    background.broker_breaker.reset()
    assert background.enqueue(remember_me, 1, word="un") is False
    assert background.enqueue(remember_me, 2) is False
    kept = list(DeferredTask.objects.values_list("task_name", "args", "kwargs", "last_error"))
    assert [row[:3] for row in kept] == [("tests.remember_me", [1], {"word": "un"}), ("tests.remember_me", [2], {})]
    assert "OperationalError" in kept[0][3] and kept[1][3] == "broker unavailable a moment ago"
