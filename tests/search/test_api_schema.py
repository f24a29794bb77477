"""The JSON APIs answer as their OpenAPI description (search/openapi.yaml, served
at /api/openapi.yaml) says, whatever schemathesis sends them: no server error,
only documented status codes, JSON bodies that match the described schema.

Valid requests (positive mode) must match the description exactly; invalid ones
(negative mode: wrong types, unknown values, NUL and other characters) must be a
documented 4xx, never a 500."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from experiences import vocabulary
from search.api import OPENAPI_DESCRIPTION

# Bounded for CI: three operations, both modes, both search backends.
EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Loaded from the file at collection, bound to the site in-process (WSGI); the
# served copy is checked below. (schemathesis.pytest.from_fixture does not run
# on pytest 9 yet.)
api = schemathesis.openapi.from_path(OPENAPI_DESCRIPTION)
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
def test_every_api_answer_matches_its_description(case, demo, search_backend, connection_kept_between_requests):
    if case.operation.path.endswith("/comparable/") and case.meta.generation.mode.is_positive:
        # Mostly a real report, so that the 200 answer is checked too, not only the 404.
        case.path_parameters["external_id"] = "schools-international-cooperation-montpellier"
    case.call_and_validate(checks=CHECKS)


def test_the_description_is_valid_openapi_and_lists_the_three_endpoints(client, db, connection_kept_between_requests):
    response = client.get("/api/openapi.yaml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/yaml")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.yaml", get_wsgi_application())
    operations = {f"{op.ok().method.upper()} {op.ok().path}" for op in schema.get_all_operations()}
    assert operations == {
        "GET /api/search/",
        "GET /api/search/autocomplete/",
        "GET /api/experiences/{external_id}/comparable/",
    }


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
