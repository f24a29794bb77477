from django.http import HttpRequest, JsonResponse

from .service import run_search


def search_api(request: HttpRequest) -> JsonResponse:
    language = request.GET.get("lang") or "fr"
    result = run_search(request.GET, language=language)
    return JsonResponse(
        {
            "count": result.count,
            "results": [hit.__dict__ for hit in result.hits],
            "facets": result.facets,
        }
    )


def comparable_api(request: HttpRequest, external_id: str) -> JsonResponse:
    return JsonResponse({"results": []})
