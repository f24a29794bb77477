"""GET /api/partnerships/: the public partnerships as JSON, and their CSV/JSON exports.

Parameters (all optional):

- ``country`` (ISO 3166-1 alpha-2, a city of the partnership is there), ``region_pair``
  (``north-south``, ``south-south``, ``north-north``), ``theme`` (a theme slug),
  ``status`` (``exploring``, ``active``, ``paused``, ``completed``), ``kind``;
- ``lang`` (``fr`` | ``en``, default ``fr``): the language of labels and addresses;
- ``page`` (default 1) and ``page_size`` (1–100, default 20), the list only.

A bad value answers 400 with ``{"error": "invalid parameters", "errors": {param: message}}``.

The list answers::

    {"count": int, "page": int, "page_size": int, "num_pages": int,
     "next": url | null, "previous": url | null,
     "results": [partnership, ...]}

and each partnership (the exports' rows too) is::

    {"id", "title", "url", "kind", "kind_label", "status", "status_label",
     "start_date", "end_date" (ISO dates or null), "region_pair", "region_pair_label",
     "description", "budget", "cofunding_source" ("" unless published),
     "titles": {"fr", "en"}, "descriptions": {"fr", "en"} (as written: "" when not translated),
     "cities": [{"name", "slug", "country", "region", "role"}],
     "themes": [slug], "sdgs": [number], "reports": [{"title", "url"}], "updated_at"}

``/api/partnerships/export.json`` gives ``{"count", "results"}`` with every match (no
paging); ``/api/partnerships/export.csv`` the same rows, one per partnership, lists joined
with ``; ``. Only partnerships shown to the public are listed; internal notes never are.
"""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from cooperation_hub.sites import PageAddresses, absolute_reverse

from .models import Partnership
from .queries import (
    DEFAULT_PAGE_SIZE,
    FILTERS,
    MAX_PAGE_SIZE,
    filter_partnerships,
    localized_reports,
    parse_filters,
    public_queryset,
)

LANGUAGES = ("fr", "en")
CSV_COLUMNS = (
    "id", "title", "url", "kind", "status", "start_date", "end_date", "region_pair", "countries", "cities",
    "themes", "sdgs", "reports", "budget", "cofunding_source", "description", "updated_at",
)  # fmt: skip


def _error(errors: dict[str, str]) -> JsonResponse:
    return JsonResponse({"error": "invalid parameters", "errors": errors}, status=400)


def _positive_int(raw: str | None, name: str, default: int, maximum: int | None, errors: dict[str, str]) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        errors[name] = f"{name} must be a whole number."
        return default
    if value < 1 or (maximum is not None and value > maximum):
        errors[name] = f"{name} must be between 1 and {maximum}." if maximum else f"{name} must be 1 or more."
    return value


def _read(request: HttpRequest) -> tuple[str, dict[str, str], dict[str, str]]:
    errors: dict[str, str] = {}
    lang = request.GET.get("lang") or "fr"
    if lang not in LANGUAGES:
        errors["lang"] = "Use fr or en."
        lang = "fr"
    with translation.override(lang):
        filters = parse_filters(request.GET)
    errors.update(filters.errors)
    return lang, filters.values, errors


def serialize(partnership: Partnership, reports: list, lang: str, addresses: PageAddresses) -> dict[str, Any]:
    """One partnership as the API and the exports give it (labels in the active language).

    ``title`` and ``description`` are in ``lang``, else in the other language."""
    return {
        "id": partnership.pk,
        "title": partnership.display_title,
        "url": absolute_reverse("partnerships:detail", language=lang, kwargs={"pk": partnership.pk}),
        "kind": partnership.kind,
        "kind_label": str(partnership.get_kind_display()),
        "status": partnership.status,
        "status_label": str(partnership.get_status_display()),
        "start_date": partnership.start_date.isoformat() if partnership.start_date else None,
        "end_date": partnership.end_date.isoformat() if partnership.end_date else None,
        "region_pair": partnership.region_pair,
        "region_pair_label": partnership.region_pair_label,
        "description": partnership.description_in(lang),
        "titles": {"fr": partnership.title_fr, "en": partnership.title_en},
        "descriptions": {"fr": partnership.description_fr, "en": partnership.description_en},
        "budget": partnership.public_budget(),
        "cofunding_source": partnership.public_cofunding_source(),
        "cities": [
            {
                "name": row.city.name,
                "slug": row.city.slug,
                "country": row.city.country,
                "region": row.city.region,
                "role": row.role,
            }
            for row in partnership.partner_cities.all()
        ],
        "themes": sorted(theme.slug for theme in partnership.themes.all()),
        "sdgs": sorted(goal.number for goal in partnership.sdgs.all()),
        "reports": [{"title": report.title, "url": addresses(report)} for report in reports],
        "updated_at": partnership.updated_at.isoformat(),
    }


def serialize_all(partnerships: list[Partnership], lang: str) -> list[dict[str, Any]]:
    addresses = PageAddresses()
    reports = localized_reports(partnerships, lang)
    with translation.override(lang):
        return [serialize(p, reports[p.pk], lang, addresses) for p in partnerships]


@require_GET
def partnership_list(request: HttpRequest) -> JsonResponse:
    lang, filters, errors = _read(request)
    page_size = _positive_int(request.GET.get("page_size"), "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, errors)
    number = _positive_int(request.GET.get("page"), "page", 1, None, errors)
    if errors:
        return _error(errors)
    paginator = Paginator(filter_partnerships(public_queryset(), filters), page_size)
    if number > max(paginator.num_pages, 1):
        return _error({"page": f"page must be between 1 and {max(paginator.num_pages, 1)}."})
    page = paginator.page(number)
    base = {name: filters[name] for name in FILTERS if name in filters} | {"lang": lang, "page_size": page_size}

    def link(target: int) -> str:
        return absolute_reverse("partnerships_api") + "?" + urlencode(base | {"page": target})

    return JsonResponse(
        {
            "count": paginator.count,
            "page": number,
            "page_size": page_size,
            "num_pages": paginator.num_pages,
            "next": link(number + 1) if page.has_next() else None,
            "previous": link(number - 1) if page.has_previous() else None,
            "results": serialize_all(list(page.object_list), lang),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def export_json(request: HttpRequest) -> JsonResponse:
    lang, filters, errors = _read(request)
    if errors:
        return _error(errors)
    results = serialize_all(list(filter_partnerships(public_queryset(), filters)), lang)
    response = JsonResponse({"count": len(results), "results": results}, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="partnerships.json"'
    return response


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    lang, filters, errors = _read(request)
    if errors:
        return _error(errors)
    rows = serialize_all(list(filter_partnerships(public_queryset(), filters)), lang)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partnerships.csv"'
    response.write("\ufeff")  # so that spreadsheets read the accents as UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        flat = dict(row)
        flat["countries"] = "; ".join(sorted({c["country"] for c in row["cities"]}))
        flat["cities"] = "; ".join(f"{c['name']} ({c['country']})" for c in row["cities"])
        flat["themes"] = "; ".join(row["themes"])
        flat["sdgs"] = "; ".join(map(str, row["sdgs"]))
        flat["reports"] = "; ".join(r["url"] for r in row["reports"])
        flat["kind"], flat["status"] = row["kind_label"], row["status_label"]
        writer.writerow([_safe_cell(flat[column]) for column in CSV_COLUMNS])
    return response


def _safe_cell(value: Any) -> str:
    """No formula injection: a cell a spreadsheet would evaluate is quoted as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
