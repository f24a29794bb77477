"""JSON endpoints of the search: /api/search/, /api/search/autocomplete/ and
/api/experiences/<external_id>/comparable/, as a django-ninja router mounted by
cooperation_hub/json_api.py (which generates their OpenAPI description, /api/openapi.yaml).

The parameters are declared for the description only: search/params.py reads them, so
that a filter may repeat or list values ("theme=a,b") and a bad one gets the message of
the filter layer in the APIs' 400 body (cooperation_hub/api_errors.py). The answers are
validated against the response schemas below, which are also what the description says.
"""

from typing import Annotated, Any, Literal

from django.core.validators import slug_re
from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from pydantic import WithJsonSchema

from cooperation_hub.api_errors import ApiError, Error
from cooperation_hub.query import MAX_FILTER_VALUES, QueryError
from experiences.api_schema import LANG_DESCRIPTION, Q_DESCRIPTION, Lang, QueryText, described, filter_value_schema
from experiences.vocabulary import REGIONS

from .autocomplete import autocomplete
from .comparable import comparable_for_external_id
from .documents import TYPES
from .params import LANGUAGES, MAX_PER_PAGE, TRANSLATE_VALUES, SearchParamsError
from .service import run_search

router = Router(tags=["search"])


def listed(items: dict[str, Any]) -> WithJsonSchema:
    """For ``Annotated[list[str], listed(items)]``: a filter that may repeat or list values,
    read by params.py, described as a list of ``items``."""
    return WithJsonSchema({"type": "array", "maxItems": MAX_FILTER_VALUES, "items": items})


class SearchQuery(Schema):
    q: QueryText = Field(None, description=Q_DESCRIPTION)
    lang: Lang = Field(None, description=LANG_DESCRIPTION)
    theme: Annotated[list[str], listed(filter_value_schema("theme"))] = []
    sdg: Annotated[list[str], listed(filter_value_schema("sdg"))] = Field(
        [], description="Sustainable Development Goal numbers."
    )
    country: Annotated[list[str], listed(filter_value_schema("country"))] = Field(
        [], description="ISO 3166-1 alpha-2 codes (any case)."
    )
    region: Annotated[list[str], listed(filter_value_schema("region"))] = []
    size: Annotated[list[str], listed(filter_value_schema("size"))] = []
    status: Annotated[list[str], listed(filter_value_schema("status"))] = []
    tag: Annotated[list[str], listed(filter_value_schema("tag"))] = []
    type: Annotated[list[str], listed({"type": "string", "enum": list(TYPES)})] = []
    language: Annotated[list[str], listed({"type": "string", "enum": list(LANGUAGES)})] = Field(
        [], description="Language the content was written in."
    )
    translate: Annotated[str | None, described({"type": "string", "enum": list(TRANSLATE_VALUES), "default": "1"})] = (
        Field(
            None,
            description=(
                "1 (default): a word or phrase that the French-English lexicon translates also finds\n"
                "the items written in the other language (with a lower weight); 0: only the words as typed.\n"
            ),
        )
    )
    page: Annotated[str | None, described({"type": "integer", "minimum": 1})] = Field(
        None, description="Pages beyond 1000 give the 1000th."
    )
    per_page: Annotated[str | None, described({"type": "integer", "minimum": 1, "default": 20})] = Field(
        None, description=f"Results per page; more than {MAX_PER_PAGE} gives {MAX_PER_PAGE}."
    )


class _Closed(Schema):
    model_config = {"extra": "forbid"}


class SearchHitOut(_Closed):
    type: Literal["experience", "contribution", "consultation"]
    title: str
    url: str = Field(description="Path of the item on the site.")
    snippet: str = Field(description="Escaped HTML; only <mark> is added around matched words.")
    external_id: str = Field(description="Stable id of the item (the report's import id).")
    language: str = Field(
        description="The language the item is written in, fr or en (it may differ from `lang` when it has no translation)."
    )


class SearchResults(_Closed):
    count: int = Field(ge=0)
    results: list[SearchHitOut] = Field(max_length=MAX_PER_PAGE)
    facets: dict[str, dict[str, int]] = Field(description="For each facet, the count of matching items per value.")
    # Absent unless set (exclude_unset on the operation), never null.
    corrected_query: str = Field(
        default_factory=str,
        description=(
            "Present only when `q` found nothing and the results are those of its spelling\n"
            "correction (e.g. `hapiness` -> `happiness`): the corrected words that were searched.\n"
        ),
    )
    also_searched: list[str] = Field(
        default_factory=list,
        description=(
            "Present only when words of `q` have translations in the French-English lexicon: the\n"
            "translations that were searched too (e.g. `téléphérique` -> `cable car`). `translate=0` turns them off.\n"
        ),
    )


class Suggestion(_Closed):
    value: str
    kind: Literal["title", "city", "tag"]


class Suggestions(_Closed):
    suggestions: list[Suggestion] = Field(max_length=8)


class ComparableProjectOut(_Closed):
    external_id: str
    title: str
    city: str
    country: str
    region: str = Field(json_schema_extra={"enum": [term.slug for term in REGIONS]})
    reasons: list[str]


class ComparableProjects(_Closed):
    results: list[ComparableProjectOut] = Field(description="Best first.")


SEARCH_HEADERS = {
    "X-Search-Backend": {"description": "Who answered.", "schema": {"type": "string", "enum": ["engine", "database"]}},
    "X-Search-Notice": {
        "description": "Present while the search engine is down and the database answers.",
        "schema": {"type": "string", "enum": ["engine-unavailable"]},
    },
}
INVALID = "A bad parameter: a message per parameter."


@router.get(
    "/search/",
    url_name="search",
    operation_id="search",
    summary="Search experiences, consultations and contributions",
    response={200: SearchResults, 400: Error},
    exclude_unset=True,
    openapi_extra={
        "responses": {
            200: {
                "description": "The matching items of the page, the total count and the facet counts.",
                "headers": SEARCH_HEADERS,
            },
            400: {"description": INVALID},
        }
    },
)
def search(request: HttpRequest, response: HttpResponse, params: Query[SearchQuery]) -> dict:
    """A bad parameter gets a 400 with a message per parameter. While the engine is down the
    answer comes from the database backend, with an ``X-Search-Notice`` header."""
    try:
        result = run_search(request.GET, language=request.GET.get("lang") or "fr")
    except SearchParamsError as exc:
        raise ApiError(exc.errors) from exc
    response["X-Search-Backend"] = result.backend
    if result.notice:
        response["X-Search-Notice"] = "engine-unavailable"
    return result.to_api()


class AutocompleteQuery(Schema):
    q: QueryText = Field(None, description=Q_DESCRIPTION)
    lang: Lang = Field(None, description=LANG_DESCRIPTION)


@router.get(
    "/search/autocomplete/",
    url_name="autocomplete",
    operation_id="autocomplete",
    summary="Titles, cities and tags that start with what is typed",
    response={200: Suggestions, 400: Error},
    openapi_extra={
        "responses": {
            200: {"description": "At most 8 suggestions; none for fewer than 2 letters."},
            400: {"description": INVALID},
        }
    },
)
def autocomplete_api(request: HttpRequest, params: Query[AutocompleteQuery]) -> dict:
    """Then titles and tags in the other language that contain a translation of what is typed
    (French-English lexicon: `téléph` also suggests a title about "cable cars")."""
    lang = request.GET.get("lang") or "fr"
    if lang not in LANGUAGES:
        raise ApiError({"lang": "Use fr or en."})
    try:
        suggestions = autocomplete(request.GET.get("q") or "", lang)
    except QueryError as exc:
        raise ApiError({"q": exc.message}) from exc
    return {"suggestions": suggestions}


EXTERNAL_ID = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "minLength": 1, "maxLength": 200}


class ComparablePath(Schema):
    # Any text reaches the endpoint (which answers 404 to an id that cannot exist); a slug is what exists.
    external_id: Annotated[str | None, described(EXTERNAL_ID)] = Field(
        ..., json_schema_extra={"example": "bethune-smart-lighting"}
    )


class ComparableQuery(Schema):
    lang: Annotated[str | None, described({"type": "string", "enum": list(LANGUAGES)})] = Field(
        None, description="Language of the titles and reasons; the report's own language when absent."
    )


@router.get(
    "/experiences/{external_id}/comparable/",
    url_name="comparable",
    operation_id="comparable",
    summary="Experience reports comparable to one report, with the reasons",
    response={200: ComparableProjects, 400: Error, 404: Error},
    openapi_extra={
        "responses": {
            200: {"description": "The comparable reports, best first."},
            400: {"description": INVALID},
            404: {"description": "No published experience report has this id."},
        }
    },
)
def comparable_api(request: HttpRequest, path: Path[ComparablePath], params: Query[ComparableQuery]) -> dict:
    # Any id, not only a slug: an id that cannot exist still gets the API's JSON 404.
    external_id = path.external_id or ""
    lang = request.GET.get("lang") or None
    if lang is not None and lang not in LANGUAGES:
        raise ApiError({"lang": "Use fr or en."})
    items = comparable_for_external_id(external_id, lang) if slug_re.fullmatch(external_id) else None
    if items is None:
        raise ApiError({"external_id": f"No published experience report has the id {external_id!r}."}, status=404)
    return {"results": [item.to_api() for item in items]}
