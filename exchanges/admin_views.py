"""The network dashboard in the Wagtail admin: how exchange requests are answered
and which partnerships the network forms, as tables (the figures), charts drawn from
them and a CSV of the same figures (exchanges/stats.py computes them)."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation_hub.charts import bar_chart

from . import stats


def can_see_dashboard(user) -> bool:
    """Superusers and the moderators of the network (the contribution moderators group,
    who also look at reported exchanges): aggregate figures, no member named."""
    from contributions.moderators import MODERATORS

    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=MODERATORS).exists()


def dashboard(request: HttpRequest) -> HttpResponse:
    if not can_see_dashboard(request.user):
        raise PermissionDenied
    figures = stats.network_figures()
    # The active language's own way of naming a month ("octobre 2031", "October 2031"): Django's
    # "M Y" gave the same capitalised English-looking abbreviation in both languages ("Oct 2031").
    month_format = "YEAR_MONTH_FORMAT"
    # The months span both requests and partnerships: each chart starts at its own first
    # month (a zero bar after that is a figure), and the partnership tables list only the
    # months in which one started (the others are zeros, as the caption says).
    requests = _from_first(figures.requests, lambda r: r.sent)
    pair_months = _from_first(figures.partnerships_by_region_pair, lambda row: sum(row[1]))
    charts = {
        "sent": bar_chart([(r.month, r.sent) for r in requests], label_format=month_format),
        "answered": bar_chart([(r.month, r.answered) for r in requests], label_format=month_format),
        "pairs": [
            (
                label,
                bar_chart([(m, row[i]) for m, row in pair_months], label_format=month_format),
                f"chart-{value}",
            )
            for i, (value, label) in enumerate(figures.region_pairs)
        ],
        "themes": bar_chart(
            [(theme.label, n) for theme, n in zip(figures.themes, figures.theme_totals(), strict=True)]
        ),
    }
    context = {
        "figures": figures,
        "requests": requests,
        "charts": charts,
        "pair_rows": [(m, row, sum(row)) for m, row in figures.partnerships_by_region_pair if sum(row)],
        "theme_rows": [(m, row, sum(row)) for m, row in figures.partnerships_by_theme if sum(row)],
        "pair_totals": figures.region_pair_totals(),
        "theme_totals": figures.theme_totals(),
        "month_format": month_format,
        "header_title": _("Network dashboard"),
        "page_title": _("Network dashboard"),
        "header_icon": "table",
    }
    return TemplateResponse(request, "exchanges/admin/dashboard.html", context)


def _from_first(rows: list, count) -> list:
    """``rows`` from the first one whose ``count`` is not zero."""
    for i, row in enumerate(rows):
        if count(row):
            return rows[i:]
    return []


def dashboard_csv(request: HttpRequest) -> HttpResponse:
    if not can_see_dashboard(request.user):
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="network-dashboard-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the accents as UTF-8
    csv.writer(response).writerows(stats.csv_rows(stats.network_figures()))
    return response
