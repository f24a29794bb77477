"""JSON endpoints: /api/search/, /api/search/autocomplete/, /api/experiences/<external_id>/comparable/,
and their OpenAPI description at /api/openapi.yaml (search/openapi.yaml)."""

from pathlib import Path

from django.core.validators import slug_re
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from cooperation_hub.query import QueryError

from .autocomplete import autocomplete
from .comparable import comparable_for_external_id
from .params import LANGUAGES, SearchParamsError
from .service import run_search

OPENAPI_DESCRIPTION = Path(__file__).with_name("openapi.yaml")


@require_GET
def openapi_description(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3 description of these endpoints, for API clients (and the schemathesis tests)."""
    return HttpResponse(OPENAPI_DESCRIPTION.read_bytes(), content_type="application/yaml; charset=utf-8")


def _error(errors: dict[str, str], status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": "invalid parameters" if status == 400 else "not found", "errors": errors}, status=status
    )


@require_GET
def search_api(request: HttpRequest) -> JsonResponse:
    """``{"count", "results": [{"type","title","url","snippet","external_id"}], "facets": {...}}``.

    Parameters: q, lang (fr|en), theme, sdg, country, region, size, status, tag, type, language,
    page, per_page. A bad parameter gets a 400 with a message per parameter. While the engine is
    down the answer comes from the database backend, with an ``X-Search-Notice`` header.
    """
    try:
        result = run_search(request.GET, language=request.GET.get("lang") or "fr")
    except SearchParamsError as exc:
        return _error(exc.errors)
    response = JsonResponse(result.to_api())
    response["X-Search-Backend"] = result.backend
    if result.notice:
        response["X-Search-Notice"] = "engine-unavailable"
    return response


@require_GET
def autocomplete_api(request: HttpRequest) -> JsonResponse:
    lang = request.GET.get("lang") or "fr"
    if lang not in LANGUAGES:
        return _error({"lang": "Use fr or en."})
    try:
        suggestions = autocomplete(request.GET.get("q") or "", lang)
    except QueryError as exc:
        return _error({"q": exc.message})
    return JsonResponse({"suggestions": suggestions})


@require_GET
def comparable_api(request: HttpRequest, external_id: str) -> JsonResponse:
    lang = request.GET.get("lang") or None
    if lang is not None and lang not in LANGUAGES:
        return _error({"lang": "Use fr or en."})
    items = comparable_for_external_id(external_id, lang) if slug_re.fullmatch(external_id) else None
    if items is None:
        return _error({"external_id": f"No published experience report has the id {external_id!r}."}, status=404)
    return JsonResponse({"results": [item.to_api() for item in items]})
