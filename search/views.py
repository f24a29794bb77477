"""The search page: /<lang>/search/."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from experiences import vocabulary
from experiences.regions import country_name

from .query import clean_text
from .service import FACETS, LANGUAGES, SearchParamsError, SearchResult, run_search

FACET_LABELS = {
    "type": gettext_lazy("Type"),
    "theme": gettext_lazy("Theme"),
    "sdg": gettext_lazy("Sustainable Development Goal"),
    "region": gettext_lazy("North / South"),
    "country": gettext_lazy("Country"),
    "size": gettext_lazy("City size"),
    "status": pgettext_lazy("experience progress", "Status"),  # not Wagtail's "Status"
    "tag": gettext_lazy("Tag"),
    "language": gettext_lazy("Language"),
}
TYPE_LABELS = {
    "experience": gettext_lazy("Experience report"),
    "consultation": gettext_lazy("Consultation"),
    "contribution": gettext_lazy("Contribution"),
}


def value_label(facet: str, value: str, lang: str) -> str:
    """How a facet value reads on the page."""
    terms = {"theme": vocabulary.THEMES, "sdg": vocabulary.SDGS, "region": vocabulary.REGIONS,
             "size": vocabulary.SIZES, "status": vocabulary.STATUSES}
    if facet in terms:
        term = vocabulary.by_slug(terms[facet]).get(value)
        if term is None:
            return value
        return f"{value}. {term.label}" if facet == "sdg" else term.label
    if facet == "type":
        return str(TYPE_LABELS.get(value, value))
    if facet == "country":
        return country_name(value, lang)
    if facet == "language":
        return {"fr": "Français", "en": "English"}.get(value, value)
    return value


def facet_groups(result: SearchResult, lang: str) -> list[dict[str, Any]]:
    selected = result.params.filters if result.params else {}
    groups = []
    for name in FACETS:
        counts = dict(result.facets.get(name, {}))
        for value in selected.get(name, []):
            counts.setdefault(value, 0)
        if not counts:
            continue
        options = [{"value": v, "label": value_label(name, v, lang), "count": n, "checked": v in selected.get(name, [])}
                   for v, n in counts.items()]
        groups.append({"name": name, "label": FACET_LABELS[name], "options": options,
                       "open": bool(selected.get(name)) or name in ("type", "theme", "region")})
    return groups


def active_filters(request: HttpRequest, result: SearchResult, lang: str) -> list[dict[str, str]]:
    """Each active filter with the URL of the same search without it."""
    if not result.params:
        return []
    out = []
    for name, values in result.params.filters.items():
        for value in values:
            pairs = [(k, v) for k, v in request.GET.lists() for v in v if not (k == name and v == value) and k != "page"]
            out.append({"label": f"{FACET_LABELS[name]}: {value_label(name, value, lang)}",
                        "url": "?" + urlencode(pairs)})
    return out


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
    context = {
        "result": result,
        "query": result.query,
        # A refused query stays in the search box, for the reader to shorten it.
        "typed_query": clean_text(request.GET.get("q", ""))[:1000] if "q" in errors else result.query,
        "errors": errors,
        "facet_groups": facet_groups(result, lang),
        "active_filters": active_filters(request, result, lang),
        "clear_url": "?" + urlencode({"q": result.query}) if result.query else "?",
        "next_url": "?" + urlencode(keep + [("page", result.page + 1)]) if result.has_next else "",
        "previous_url": "?" + urlencode(keep + [("page", result.page - 1)]) if result.page > 1 else "",
        "type_labels": TYPE_LABELS,
        "page_title": _("Search"),
        # When the results are those of the spelling correction: the same search for the words as typed.
        "as_typed_url": "?" + urlencode([(k, v) for k, v in keep if k not in ("q", "spell")]
                                        + [("q", result.corrected_from), ("spell", "0")])
        if result.corrected_from else "",
    }
    return TemplateResponse(request, "search/search.html", context, status=400 if errors else 200)
