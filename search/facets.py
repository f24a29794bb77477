"""The search's facets: what they count on the database backend, and how they read on the page.

The facets about reports (theme, sdg, region, country, size, status, tag) are those of the
experience list, declared once in experiences/filters.py (``REPORT_FILTERS``: label, column,
value labels); the search adds ``type`` and ``language``. On the database backend every
count comes from one SQL statement (``database_facets``); on an engine, from the
aggregations of the same query (search/engines/query.py).
"""

from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy
from wagtail.search.index import Indexed

from contributions.models import ConsultationPage, Contribution
from experiences import filters as report_filters
from experiences.filters import FACET_COLUMNS, REPORT_FILTERS, facet_rows
from experiences.models import ExperiencePage

from .params import FACETS
from .results import SearchResult

FACET_LABELS = {
    "type": gettext_lazy("Type"),
    **{name: REPORT_FILTERS[name].label for name in FACETS if name in REPORT_FILTERS},
    "language": gettext_lazy("Language"),
}
TYPE_LABELS = {
    "experience": gettext_lazy("Experience report"),
    "consultation": gettext_lazy("Consultation"),
    "contribution": gettext_lazy("Contribution"),
}


def value_label(facet: str, value: str, lang: str) -> str:
    """How a facet value reads on the page (the report facets read as on the experience list)."""
    if facet == "type":
        return str(TYPE_LABELS.get(value, value))
    if facet == "language":
        return {"fr": "Français", "en": "English"}.get(value, value)
    return report_filters.value_label(facet, value, lang)


def facet_groups(result: SearchResult, lang: str) -> list[dict[str, Any]]:
    selected = result.params.filters if result.params else {}
    groups = []
    for name in FACETS:
        counts = dict(result.facets.get(name, {}))
        for value in selected.get(name, []):
            counts.setdefault(value, 0)
        if not counts:
            continue
        also: dict[str, list[str]] = {}
        if name == "tag":  # a tag and its translation are one option (#17)
            counts, also = linked_tag_counts(counts, selected.get(name, []), lang)
        options = [
            {
                "value": v,
                "label": " / ".join([value_label(name, v, lang), *also.get(v, [])]),
                "count": n,
                "checked": v in selected.get(name, []),
            }
            for v, n in counts.items()
        ]
        groups.append(
            {
                "name": name,
                "label": FACET_LABELS[name],
                "options": options,
                "open": bool(selected.get(name)) or name in ("type", "theme", "region"),
            }
        )
    return groups


def linked_tag_counts(
    counts: dict[str, int], selected: list[str], lang: str
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Tag counts with each tag and its translations merged under one value ("tramway" 2 and
    "tram" 1: "tramway" 3 for a French reader, "tram" 3 for an English one), the other labels of
    each kept value beside. The ``tag`` filter finds either label (experiences/filters.py), so the
    merged count is what the option finds (a report tagged with both labels counts twice)."""
    from lexicon.lexicon import current, expand, key

    index = current().index.get(lang, {})
    # Kept as the option: a selected tag first, then a label of the reader's language, then the most used.
    order = sorted(counts, key=lambda v: (v not in selected, key(v) not in index, -counts[v]))
    merged: dict[str, int] = {}
    also: dict[str, list[str]] = {}
    kept_by_key: dict[str, str] = {}
    for value in order:
        linked = [kept_by_key[k] for k in (key(t) for t in expand([value]).get(value, [])) if k in kept_by_key]
        if linked and value not in selected:
            merged[linked[0]] += counts[value]
            also.setdefault(linked[0], []).append(value)
        else:
            merged[value] = counts[value]
            kept_by_key[key(value)] = value
    return dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))), also


def active_filters(request: HttpRequest, result: SearchResult, lang: str) -> list[dict[str, str]]:
    """Each active filter with the URL of the same search without it."""
    if not result.params:
        return []
    out = []
    for name, values in result.params.filters.items():
        for value in values:
            pairs = [
                (k, v)
                for k, given in request.GET.lists()
                for v in given
                if not (k == name and v == value) and k != "page"
            ]
            out.append(
                {
                    # French puts a space before the colon (the catalogue says so).
                    "label": gettext("%(label)s: %(value)s")
                    % {"label": FACET_LABELS[name], "value": value_label(name, value, lang)},
                    "url": "?" + urlencode(pairs),
                }
            )
    return out


def _count_values(rows: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, n in rows:
        if key in (None, ""):
            continue
        key = str(key)
        out[key] = out.get(key, 0) + n
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def database_facets(matched: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Counts per facet value over what matched (query and filters combined).

    One statement: each type's matches are worked out once (a materialized
    common table expression over the matches' subquery), then one ``GROUP BY``
    per facet counts over them. Neither the number of statements nor their size
    grows with the number of matches.
    """
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    facets["type"] = {kind: found.count for kind, found in matched.items() if found.count}
    present = [kind for kind, found in matched.items() if found.count]
    if not present:
        return facets
    models: dict[str, type[Indexed]] = {
        "experience": ExperiencePage,
        "consultation": ConsultationPage,
        "contribution": Contribution,
    }
    ctes, params = [], []
    for kind in present:
        sql, args = matched[kind].queryset.order_by().values("pk").query.sql_with_params()
        ctes.append(f"hub_{kind}_matches (pk) AS MATERIALIZED ({sql})")
        params += args
    parts: list[tuple[str, QuerySet, str]] = []  # (facet, aggregate query, its value column)
    if "experience" in present:
        # The experience facets count as the experience list does (experiences.filters.facet_rows).
        reports = ExperiencePage.objects.filter(pk__in=RawSQL("SELECT pk FROM hub_experience_matches", []))
        for name in ("theme", "sdg", "region", "country", "size", "status"):  # the tag counts all three types
            parts.append((name, facet_rows(reports, name), FACET_COLUMNS[name]))
    for kind in present:
        model, among = models[kind], RawSQL(f"SELECT pk FROM hub_{kind}_matches", [])
        column = "language" if model is Contribution else "locale__language_code"
        parts.append(
            (
                "language",
                model.objects.filter(pk__in=among).order_by().values_list(column).annotate(n=Count("pk")),
                column,
            )
        )
        through = (ConsultationPage.suggested_tags if model is ConsultationPage else model.tags).through
        parts.append(
            (
                "tag",
                through.objects.filter(content_object_id__in=among)
                .order_by()
                .values_list("tag__name")
                .annotate(n=Count("id")),
                "tag__name",
            )
        )
    selects = []
    for facet, qs, column in parts:
        sql, args = qs.query.sql_with_params()
        selects.append(f'SELECT %s, CAST(t."{column}" AS TEXT), t."n" FROM ({sql}) t')
        params += [facet, *args]
    rows: dict[str, list[tuple[Any, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} " + " UNION ALL ".join(selects), params)
        for facet, value, n in cursor.fetchall():
            rows.setdefault(facet, []).append((value, n))
    for name in ("theme", "sdg", "region", "country", "size", "status", "language"):
        if name in rows:
            facets[name] = _count_values(rows[name])
    tag_counts = _count_values([(str(t).lower(), n) for t, n in rows.get("tag", []) if t is not None])
    facets["tag"] = dict(list(tag_counts.items())[:30])
    return facets
