"""The search page: /<lang>/search/."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import pgettext

from cooperation_hub.query import clean_text, parse_query

from .facets import TYPE_LABELS, active_filters, facet_groups
from .params import LANGUAGES, SearchParamsError
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
    context = {
        "result": result,
        "query": "" if wordless else result.query,
        "wordless_query": result.query if wordless else "",
        # A refused query stays in the search box, for the reader to shorten it.
        "typed_query": clean_text(request.GET.get("q", ""))[:1000] if "q" in errors else result.query,
        "errors": errors,
        "facet_groups": facet_groups(result, lang),
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
        "translated": result.params.translate if result.params else True,
    }
    return TemplateResponse(request, "search/search.html", context, status=400 if errors else 200)
