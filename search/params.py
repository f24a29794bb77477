"""The search's parameters: reading a query string into ``SearchParams``, or saying what is wrong.

The filters about reports (theme, sdg, country, region, size, status, tag) are declared and
checked by experiences/filters.py, the one filter layer of the list and the search; this
module reads them the search's way (several values each, "theme=a,b" or "theme=a&theme=b",
a bad value refused with a message) and adds ``type``, ``language``, ``lang``, ``page`` and
``per_page``, and ``translate`` (0: the words as typed only, not their translations).
"""

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from cooperation_hub.query import ParsedQuery, QueryError, check_value_count, parse_int, parse_query
from experiences.filters import REPORT_FILTERS, FilterValueError, clean_values

from .documents import TYPES

LANGUAGES = ("fr", "en")
FILTERS = (*REPORT_FILTERS, "type", "language")
FACETS = ("type", "theme", "sdg", "region", "country", "size", "status", "tag", "language")
# Filters that only describe experience reports: they leave consultations and contributions out.
EXPERIENCE_ONLY = tuple(name for name in REPORT_FILTERS if name != "tag")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
TRANSLATE_VALUES = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}


class SearchParamsError(ValueError):
    """Bad search parameters; ``errors`` maps each parameter to a readable message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class SearchParams:
    query: ParsedQuery
    lang: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # False: the words as typed only, not their translations in the other language ("translate=0").
    translate: bool = True

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def types(self) -> list[str]:
        wanted = self.filters.get("type") or list(TYPES)
        if any(self.filters.get(f) for f in EXPERIENCE_ONLY):
            wanted = [t for t in wanted if t == "experience"]
        return [t for t in TYPES if t in wanted]


def _getlist(params: Any, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name)
        values = value if isinstance(value, list | tuple) else ([value] if value not in (None, "") else [])
    out: list[str] = []
    for value in values:
        # "theme=a,b" and "theme=a&theme=b" both work
        out += [v.strip() for v in str(value).split(",") if v.strip()]
    return out


def parse_params(params: QueryDict | dict[str, Any], language: str | None = None) -> SearchParams:
    """Validate query parameters into SearchParams, or raise SearchParamsError with a message per parameter."""
    errors: dict[str, str] = {}
    lang = (params.get("lang") or language or "fr")[:2].lower()
    if lang not in LANGUAGES:
        errors["lang"] = _("Use fr or en.")
    filters: dict[str, list[str]] = {}
    allowed = {"type": set(TYPES), "language": set(LANGUAGES)}
    for name in FILTERS:
        values = _getlist(params, name)
        if not values:
            continue
        try:
            if name in REPORT_FILTERS:
                values = clean_values(name, values)
                if name == "tag":
                    values = [v.lower() for v in values]  # as the engine stores them (search/documents.py)
            else:
                # Each value becomes a condition of one SQL expression: SQLite refuses about a thousand.
                check_value_count(values)
        except (FilterValueError, QueryError) as exc:
            errors[name] = exc.message
            continue
        if name in allowed:
            unknown = [v for v in values if v not in allowed[name]]
            if unknown:
                errors[name] = _("Unknown value %(value)s; expected one of: %(choices)s.") % {
                    "value": ", ".join(unknown),
                    "choices": ", ".join(sorted(allowed[name])),
                }
                continue
        filters[name] = list(dict.fromkeys(values))
    page, per_page = 1, DEFAULT_PER_PAGE
    for name in ("page", "per_page"):
        raw = params.get(name)
        if raw in (None, ""):
            continue
        number = parse_int(raw, max_digits=30)  # pages beyond 1000 give the 1000th, as documented
        if number is None or number < 1:
            errors[name] = _("Expected a positive whole number.")
        elif name == "page":
            page = min(number, 1000)
        else:
            per_page = min(number, MAX_PER_PAGE)
    translate = str(params.get("translate") or "1").strip().lower()
    if translate not in TRANSLATE_VALUES:
        errors["translate"] = _("Use 1 (also search the translations of the words) or 0 (only the words as typed).")
    try:
        query = parse_query(params.get("q") or "")
    except QueryError as exc:
        errors["q"] = exc.message
    if errors:
        raise SearchParamsError(errors)
    return SearchParams(
        query=query, lang=lang, filters=filters, page=page, per_page=per_page, translate=TRANSLATE_VALUES[translate]
    )
