"""An engine's answer read into the search's result (search/engines/query.py), without an engine:
the backend's client is replaced by one that records the request and returns a canned answer."""

from typing import Any

import pytest

from contributions.models import Contribution
from experiences.models import ExperiencePage
from search.engines import client
from search.service import run_search

pytestmark = pytest.mark.django_db


class FakeEs:
    def __init__(self, answer: dict[str, Any]):
        self.answer = answer
        self.bodies: list[dict[str, Any]] = []

    def search(self, index: str, body: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        self.bodies.append(body if body is not None else kwargs)
        return self.answer


class FakeBackend:
    hosts = ["fake-engine-for-tests"]

    def __init__(self, es: FakeEs):
        self.es = es

    def get_index_for_model(self, model: type) -> Any:
        return type("Index", (), {"name": model._meta.label_lower})()


def test_engine_answer_becomes_hits_facets_and_filters(demo, monkeypatch):
    report = ExperiencePage.objects.visible_to_public().select_related("city").first()
    contribution = Contribution.objects.visible_to_public().first()
    hidden = Contribution.objects.exclude(pk__in=Contribution.objects.visible_to_public().values("pk")).first()
    hits = [
        {
            "_source": {
                "hub_type": "experience",
                "hub_id": str(report.pk),
                "hub_title": report.title,
                "hub_summary": "Une école",
                "hub_url": "/r/",
                "hub_external_id": report.external_id,
                "hub_city": report.city.name,
                "hub_country": report.city.country,
                "hub_lang": "fr",
            },
            "highlight": {"hub_text.fr": ["une <mark>école</mark>"]},
        },
        {
            "_source": {
                "hub_type": "contribution",
                "hub_id": str(contribution.pk),
                "hub_title": "Avis",
                "hub_summary": "texte",
                "hub_url": "/c/",
                "hub_lang": "fr",
            }
        },
    ]
    if hidden is not None:  # still in the index, no longer public: left out and not counted
        hits.append(
            {
                "_source": {
                    "hub_type": "contribution",
                    "hub_id": str(hidden.pk),
                    "hub_title": "Caché",
                    "hub_summary": "",
                    "hub_url": "/h/",
                }
            }
        )
    answer = {
        "hits": {"total": {"value": len(hits)}, "hits": hits},
        "aggregations": {
            "theme": {"buckets": [{"key": "energy-climate", "doc_count": 2}, {"key": "", "doc_count": 1}]},
            "sdg": {"buckets": [{"key": 7, "doc_count": 1}]},
        },
    }
    es = FakeEs(answer)
    monkeypatch.setattr(client, "engine_backend", lambda: FakeBackend(es))
    result = run_search({"q": "école", "theme": "energy-climate", "sdg": "7", "country": "fr"}, "fr")
    assert result.backend == "engine"
    assert [h.title for h in result.hits] == [report.title, "Avis"]
    assert result.count == 2
    assert result.hits[0].snippet == "une <mark>école</mark>"
    assert result.facets["theme"] == {"energy-climate": 2} and result.facets["sdg"] == {"7": 1}
    assert result.facets["tag"] == {}
    filters = es.bodies[0]["query"]["bool"]["filter"]
    assert {"terms": {"hub_themes": ["energy-climate"]}} in filters
    assert {"terms": {"hub_sdgs": ["7"]}} in filters
    assert {"terms": {"hub_country": ["FR"]}} in filters
    assert {"terms": {"hub_type": ["experience"]}} in filters  # report filters leave the other types out
    client.mark_up(FakeBackend(es))
