from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .service import run_search


def search_page(request: HttpRequest) -> HttpResponse:
    result = run_search(request.GET, language=request.LANGUAGE_CODE)
    return TemplateResponse(request, "search/search.html", {"result": result, "query": result.query})
