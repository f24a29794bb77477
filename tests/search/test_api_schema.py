"""The JSON APIs answer as their generated OpenAPI description (cooperation_hub/json_api.py,
served at /api/openapi.yaml) says, whatever schemathesis sends them: no server error,
only documented status codes, bodies that match the described schema.

Valid requests (positive mode) must match the description exactly; invalid ones
(negative mode: wrong types, unknown values, NUL and other characters) must be a
documented 4xx, never a 500. Run on the embedded default (SQLite, database search)."""

import pytest
import schemathesis
import yaml
from django.core.wsgi import get_wsgi_application
from django.db import OperationalError
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cooperation_hub.json_api import openapi_document
from experiences import vocabulary
from search.params import FILTERS

# Bounded for CI (about a minute on the 2-core machine): four operations, both modes.
EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPERATIONS = {
    "GET /api/search/",
    "GET /api/search/autocomplete/",
    "GET /api/experiences/{external_id}/comparable/",
    "GET /api/map/experiences.geojson",
}


# Generated from the endpoints at collection, bound to the site in-process (WSGI); the
# served copy is checked below. (schemathesis.pytest.from_fixture does not run on pytest 9 yet.)
api = schemathesis.openapi.from_dict(openapi_document())
api.app = get_wsgi_application()
api.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES)


@pytest.fixture
def connection_kept_between_requests():
    """Requests through the WSGI app close the database connection when they
    end, which would end the test's transaction; Django's test client avoids
    it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@api.parametrize()
@settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_api_answer_matches_its_description(case, demo, connection_kept_between_requests):
    if case.operation.path.endswith("/comparable/") and case.meta.generation.mode.is_positive:
        # Mostly a real report, so that the 200 answer is checked too, not only the 404.
        case.path_parameters["external_id"] = "schools-international-cooperation-montpellier"
    case.call_and_validate(checks=CHECKS)


def _served(client) -> dict:
    response = client.get("/api/openapi.yaml")
    assert response.status_code == 200 and response["Content-Type"] == "application/yaml; charset=utf-8"
    return yaml.safe_load(response.content)


def test_the_description_is_valid_openapi_and_lists_the_four_endpoints(client, db, connection_kept_between_requests):
    served = _served(client)
    assert served == openapi_document()
    validate(served)  # OpenAPI 3.1, by openapi-spec-validator
    schema = schemathesis.openapi.from_wsgi("/api/openapi.yaml", get_wsgi_application())
    operations = {f"{op.ok().method.upper()} {op.ok().path}" for op in schema.get_all_operations()}
    assert operations == OPERATIONS


def test_the_described_filter_values_are_the_vocabulary(db, connection_kept_between_requests):
    """The enums of the description cannot drift from the values the API accepts."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.yaml", get_wsgi_application())
    parameters = {
        p["name"]: p["schema"] for p in schema.raw_schema["paths"]["/api/search/"]["get"]["parameters"] if "name" in p
    }
    for name, terms in (
        ("theme", vocabulary.THEMES),
        ("size", vocabulary.SIZES),
        ("status", vocabulary.STATUSES),
        ("region", vocabulary.REGIONS),
    ):
        assert sorted(parameters[name]["items"]["enum"]) == sorted(vocabulary.by_slug(terms)), name


def test_every_parameter_the_search_reads_is_described(client, db):
    described = {p["name"] for p in _served(client)["paths"]["/api/search/"]["get"]["parameters"]}
    assert described == {*FILTERS, "q", "lang", "translate", "page", "per_page"}


def test_the_answers_keep_their_shapes_and_headers(client, demo, settings):
    search = client.get("/api/search/", {"q": "school", "lang": "en", "per_page": 2})
    assert search.status_code == 200 and search["Content-Type"] == "application/json"
    # The backend of the run: the embedded default's database search, or the configured engine.
    on_engine = "database" not in settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    assert search["X-Search-Backend"] == ("engine" if on_engine else "database")
    body = search.json()
    assert list(body)[:3] == ["count", "results", "facets"] and body["count"] > 0 and "corrected_query" not in body
    assert set(body["results"][0]) == {"type", "title", "url", "snippet", "external_id", "language"}

    refused = client.get("/api/search/", {"sdg": "99", "lang": "en"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and refused["Content-Type"] == "application/json"
    assert refused.json() == {"error": "invalid parameters", "errors": {"sdg": "An SDG is a number from 1 to 17."}}

    missing = client.get("/api/experiences/no-such-report/comparable/")
    assert missing.status_code == 404 and missing.json()["error"] == "not found"

    assert client.post("/api/search/").status_code == 405


@pytest.mark.parametrize(
    "path", ["/api/search/?q=bus", "/api/search/autocomplete/?q=bus", "/api/map/experiences.geojson"]
)
def test_a_database_outage_under_an_endpoint_is_a_json_503_with_retry_after(client, db, monkeypatch, path):
    """django-ninja must not answer the exception itself: handler500 says "come back soon"."""
    import experiences.api
    import search.api

    def outage(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(search.api, "run_search", outage)
    monkeypatch.setattr(search.api, "autocomplete", outage)
    monkeypatch.setattr(experiences.api, "map_geojson", outage)
    monkeypatch.setattr(experiences.api.page_cache, "site_generation", lambda: None)
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json() == {"error": "service unavailable", "errors": {}}
