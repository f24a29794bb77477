"""The one circuit breaker used by the cache, the broker and the search engine."""

from cooperation_hub import background, breaker
from cooperation_hub.breaker import Breaker, BreakerSet
from search.engines import client as engine


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_failure_leaves_the_service_alone_for_the_pause_then_it_is_tried_again(monkeypatch, caplog):
    clock = Clock()
    monkeypatch.setattr(breaker.time, "monotonic", clock)
    b = Breaker("thing", 5)
    assert not b.is_open()
    b.trip(OSError("refused"))
    b.trip(OSError("refused again"))  # the same outage: logged once
    assert b.is_open()
    assert [r.getMessage() for r in caplog.records] == ["thing unavailable, left alone for 5.0s: refused"]
    clock.now += 4.9
    assert b.is_open()
    clock.now += 0.2
    assert not b.is_open()


def test_a_success_closes_it_at_once_and_the_pause_is_read_at_each_failure(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(breaker.time, "monotonic", clock)
    pause = {"seconds": 30}
    b = Breaker("engine", lambda: pause["seconds"])
    b.trip()
    b.reset()
    assert not b.is_open()
    pause["seconds"] = 2
    b.trip()
    clock.now += 2.1
    assert not b.is_open()


def test_one_breaker_per_key_and_reset_all_closes_every_one():
    engines = BreakerSet("engine", 30)
    engines["http://a"].trip()
    assert engines["http://a"].is_open() and not engines["http://b"].is_open()
    background.broker_breaker.trip()
    breaker.reset_all()
    assert not engines["http://a"].is_open() and not background.broker_breaker.is_open()


def test_the_search_engine_breaker_follows_the_setting(settings):
    class Backend:
        hosts = ["http://127.0.0.1:9"]

    settings.SEARCH_ENGINE_RETRY_AFTER = 0
    engine.mark_down(Backend(), "refused")
    assert not engine.is_marked_down(Backend())  # a zero pause: tried again at once
    settings.SEARCH_ENGINE_RETRY_AFTER = 30
    engine.mark_down(Backend(), "refused")
    assert engine.is_marked_down(Backend())
    engine.mark_up(Backend())
    assert not engine.is_marked_down(Backend())
