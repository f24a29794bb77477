"""The search page: /<lang>/search/."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import pgettext

from cooperation_hub.process_memo import kept_by_process, rendered_name
from cooperation_hub.query import clean_text, parse_query

from .facets import TYPE_LABELS, active_filters, facet_groups
from .params import LANGUAGES, SearchParamsError
from .results import SearchResult
from .service import run_search


def search_page(request: HttpRequest) -> HttpResponse:
    lang = (request.LANGUAGE_CODE or "fr")[:2]
    lang = lang if lang in LANGUAGES else "fr"
    params = request.GET.copy()
    params["lang"] = lang
    errors: dict[str, str] = {}
    try:
        # "spell=0": the reader asked for the words as typed, not their spelling correction.
        result = run_search(params, language=lang, correct=request.GET.get("spell") != "0")
    except SearchParamsError as exc:
        errors = exc.errors
        # The page again without what was refused: the text as typed stays in the box.
        result = run_search({"q": "" if "q" in errors else request.GET.get("q", ""), "lang": lang}, language=lang)
    keep = [(k, v) for k, vs in request.GET.lists() for v in vs if k != "page"]
    # Only quotes, stars or punctuation: nothing was searched, the newest items are listed.
    # Said so, rather than "32 results for “"”, sorted by relevance".
    wordless = bool(result.query) and not errors and parse_query(result.query).is_empty
    typed_query = clean_text(request.GET.get("q", ""))[:1000] if "q" in errors else result.query
    translated = result.params.translate if result.params else True
    groups = facet_groups(result, lang)
    context = {
        "result": result,
        "query": "" if wordless else result.query,
        "wordless_query": result.query if wordless else "",
        # A refused query stays in the search box, for the reader to shorten it.
        "typed_query": typed_query,
        "errors": errors,
        "facet_groups": groups,
        "parts": _kept_parts(request, result, groups, typed_query, translated),
        "active_filters": active_filters(request, result, lang),
        "clear_url": "?" + urlencode({"q": result.query}) if result.query else "?",
        "next_url": "?" + urlencode(keep + [("page", result.page + 1)]) if result.has_next else "",
        "previous_url": "?" + urlencode(keep + [("page", result.page - 1)]) if result.page > 1 else "",
        "type_labels": TYPE_LABELS,
        "page_title": pgettext("public site", "Search"),
        # When the results are those of the spelling correction: the same search for the words as typed.
        "as_typed_url": "?"
        + urlencode(
            [(k, v) for k, v in keep if k not in ("q", "spell")] + [("q", result.corrected_from), ("spell", "0")]
        )
        if result.corrected_from
        else "",
        # "Also searched: cable car": the same search without the translations, or with them again.
        "translate_off_url": "?" + urlencode([(k, v) for k, v in keep if k != "translate"] + [("translate", "0")]),
        "translate_on_url": "?" + urlencode([(k, v) for k, v in keep if k != "translate"]),
        "translated": translated,
    }
    return TemplateResponse(request, "search/search.html", context, status=400 if errors else 200)


def _kept_parts(
    request: HttpRequest, result: SearchResult, groups: list[dict[str, Any]], typed_query: str, translated: bool
) -> dict[str, str]:
    """The page of hits and the facets' panel (search/includes/hits.html, facets.html), rendered once
    per process for a result kept by it (``SearchResult.kept_as``), else for this request alone:
    the dearest part of a repeated search, with nothing in them that varies by reader."""

    def render() -> dict[str, str]:
        context = {
            "result": result,
            "type_labels": TYPE_LABELS,
            "LANGUAGE_CODE": request.LANGUAGE_CODE,
            "facet_groups": groups,
            "typed_query": typed_query,
            "translated": translated,
        }
        return {name: get_template(f"search/includes/{name}.html").render(context) for name in ("hits", "facets")}

    if not result.kept_as:
        return render()
    return kept_by_process(rendered_name("search", request, result.kept_as, typed_query), render)
