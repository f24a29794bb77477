"""Our JSON APIs under /api/: one django-ninja API, its routers owned by the apps, and its
OpenAPI description generated from them (served as YAML at /api/openapi.yaml).

Not here: Wagtail's own API under /api/v2/ (cooperation_hub/api.py), the IATI XML files
under /api/iati/, the partnerships' exports under /api/partnerships/.

Each app declares its endpoints on a ``ninja.Router`` in its ``api.py`` (paths relative to
/api/, a ``url_name`` for ``reverse("api:<name>")``, the response schemas) and is added
below with ``api.add_router("", "<app>.api.router")``. An endpoint refuses a request by raising
``cooperation_hub.api_errors.ApiError``; any other exception goes to Django's handler500
(cooperation_hub/errors.py: JSON 500, or 503 with Retry-After while the database is away).
"""

import json
from typing import Any

import yaml
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from .api_errors import ApiError

DESCRIPTION = """\
Read-only JSON endpoints of Cooperation Hub: one search over experience
reports, consultations and contributions, autocomplete, the "comparable
projects" of a report, and the cities of the reports for the map. Nothing
here needs an account.

A filter of the search may repeat (`theme=a&theme=b`) or list values
(`theme=a,b`): values of one filter are OR-ed (20 values at most), filters
are AND-ed. A bad parameter gets a 400 with a message per parameter; while
the database is out of reach the answer is a 503 with Retry-After.

Wagtail's own API (pages, images, documents) lives under `/api/v2/` and
is not described here.
"""
JSON = "application/json"


class _Renderer(JSONRenderer):
    # The bytes Django's JsonResponse wrote before these endpoints moved to django-ninja.
    encoder_class = DjangoJSONEncoder


class HubAPI(NinjaAPI):
    def get_content_type(self) -> str:
        return JSON  # as JsonResponse: no charset parameter (JSON is UTF-8 by definition)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # A response that names its own media type (the map's application/geo+json) in its
        # openapi_extra is described under that type only, not also as application/json.
        for operations in schema["paths"].values():
            for operation in operations.values():
                for response in operation["responses"].values():
                    content = response.get("content", {})
                    if JSON in content and len(content) > 1:
                        described = content.pop(JSON)
                        for media in content.values():
                            media.setdefault("schema", described["schema"])
        return schema


api = HubAPI(
    title="Cooperation Hub API",
    version="1.0",
    description=DESCRIPTION,
    servers=[{"url": "/"}],
    urls_namespace="api",
    renderer=_Renderer(),
    # No Swagger page nor openapi.json: the description is /api/openapi.yaml (below).
    openapi_url=None,
    docs_url=None,
)


@api.exception_handler(ApiError)
def _refused(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return api.create_response(request, exc.body(), status=exc.status)


@api.exception_handler(ValidationError)
def _unreadable(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Parameters are read as text (the apps check them), so this is rare: say which, in our body.
    errors = {str(error["loc"][-1]): str(error.get("msg", "Invalid value.")) for error in exc.errors}
    return api.create_response(request, ApiError(errors).body(), status=400)


@api.exception_handler(Exception)
def _not_ours(request: HttpRequest, exc: Exception) -> HttpResponse:
    # django-ninja would answer a traceback in DEBUG; handler500 answers in the APIs' JSON body.
    raise exc


def openapi_document() -> dict[str, Any]:
    """The OpenAPI description of the endpoints, as plain data (string keys, as in JSON)."""
    return json.loads(json.dumps(api.get_openapi_schema()))


# By import path, as urls.py includes the apps' URLs: the project package imports no app above it.
api.add_router("", "search.api.router")
api.add_router("", "experiences.api.router")


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Descriptions of several lines read as written ("|" blocks), not as folded quoted strings.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


@api.get("/openapi.yaml", include_in_schema=False, url_name="openapi")
def openapi_yaml(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 description of these endpoints, for API clients (and the schemathesis tests)."""
    text = yaml.dump(openapi_document(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    return HttpResponse(text.encode(), content_type="application/yaml; charset=utf-8")
