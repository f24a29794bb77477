"""The public pages: /<lang>/partnerships/ (filters by country, region pair, theme, status) and a detail page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from experiences import vocabulary

from . import outcomes
from .forms import OutcomeForm
from .models import OutcomeRequest, Partnership, RegionPair
from .queries import (
    ALL_LABELS,
    LABELS,
    country_choices,
    display_queryset,
    filter_partnerships,
    localized_reports,
    parse_filters,
    public_queryset,
)

PAGE_SIZE = 20


def _language() -> str:
    return (get_language() or "fr")[:2]


@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    language = _language()
    filters = parse_filters(request.GET)  # a bad value is left out and said so, never a 400 on a page
    queryset = filter_partnerships(public_queryset(), filters.values)
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    partnerships = list(page.object_list)
    reports = localized_reports(partnerships, language)
    for partnership in partnerships:
        partnership.public_reports = reports[partnership.pk]
    query = urlencode(filters.values)
    selects = [
        ("country", LABELS["country"], country_choices(language)),
        ("region_pair", LABELS["region_pair"], RegionPair.choices),
        ("theme", LABELS["theme"], [(t.slug, t.label) for t in vocabulary.THEMES]),
        ("status", LABELS["status"], Partnership.Status.choices),
    ]
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "partnerships": partnerships,
            "page_obj": page,
            "paginator": paginator,
            "selects": [
                {
                    "name": name,
                    "label": label,
                    "all_label": ALL_LABELS.get(name),
                    "choices": choices,
                    "selected": filters.values.get(name, ""),
                }
                for name, label, choices in selects
            ],
            "errors": filters.errors,
            "filtered": bool(filters.values),
            "query": query,
            "page_base": "?" + (query + "&" if query else "") + "page=",
            "language": language,
        },
    )


@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_or_404(display_queryset(), pk=pk)
    # Editors may look at a partnership before it is public; nobody else learns it exists.
    preview = not partnership.is_public
    if preview and not request.user.has_perm("partnerships.change_partnership"):
        raise Http404
    partnership.public_reports = localized_reports([partnership], _language())[partnership.pk]
    return render(request, "partnerships/partnership_detail.html", {"partnership": partnership, "preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, token: str) -> HttpResponse:
    """The answer to an outcome request, by the member it was sent to (anyone else: 404)."""
    row = get_object_or_404(
        OutcomeRequest.objects.select_related("partnership", "city"), token=token, recipient=request.user
    )
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            report = outcomes.answer(row, **form.cleaned_data)
            return render(request, "partnerships/outcome_thanks.html", {"row": row, "report": report})
        status = 400
    else:
        form = OutcomeForm(
            initial={
                "what_exchanged": row.what_exchanged,
                "what_changed": row.what_changed,
                "do_differently": row.do_differently,
            }
        )
        status = 200
    return render(request, "partnerships/outcome_form.html", {"row": row, "form": form}, status=status)
