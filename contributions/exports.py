"""Open data: a consultation's published contributions as CSV and JSON.

Personal data stays in: the author appears by display name only, never by
e-mail address, city or organisation. Hidden and withdrawn contributions are
left out, like everywhere else.

The CSV is opened in spreadsheets: a cell that would start a formula gets a
leading apostrophe (see ``neutralise_formula``); the JSON keeps the text as is.
"""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpResponse

from cooperation_hub.sites import absolute_url

from . import queries
from .models import ConsultationPage

FIELDS = [
    "id",
    "url",
    "language",
    "section",
    "title",
    "text",
    "tags",
    "author",
    "created_at",
    "updated_at",
    "supports",
    "replies",
]


def rows(consultation: ConsultationPage) -> list[dict]:
    """One dict per published contribution, oldest first."""
    result = []
    for c in queries.with_counts(queries.published(consultation)).order_by("created_at", "pk"):
        result.append(
            {
                "id": c.pk,
                "url": absolute_url(c.get_url()),
                "language": c.language,
                "section": c.section.slug if c.section else "",
                "title": c.title,
                "text": c.text,
                "tags": sorted(t.name for t in c.tags.all()),
                "author": c.author.public_name,
                "created_at": c.created_at.isoformat(),
                "updated_at": c.updated_at.isoformat(),
                "supports": c.support_count,
                "replies": c.reply_count,
            }
        )
    return result


def _filename(consultation: ConsultationPage, ext: str) -> str:
    return f"{consultation.slug}-contributions.{ext}"


# A cell starting with one of these is a formula to a spreadsheet
# (=HYPERLINK(…), +cmd|…, -2+3, @SUM(…)); tab and carriage return too, as
# some programs skip them before looking. OWASP's "CSV injection" advice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text cell that a spreadsheet would run as a formula, made inert by a
    leading apostrophe, which spreadsheets show as text and do not display.
    Numbers are left alone: they are typed cells, not members' text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(consultation: ConsultationPage) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows(consultation):
        row = {**row, "tags": "; ".join(row["tags"])}
        writer.writerow({name: neutralise_formula(value) for name, value in row.items()})
    # A BOM so that spreadsheet software opens the accents correctly.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(consultation, "csv")}"'
    return response


def json_response(consultation: ConsultationPage) -> HttpResponse:
    contributions = rows(consultation)
    data = {
        "consultation": {
            "title": consultation.title,
            "question": consultation.question,
            "opens_at": consultation.opens_at.isoformat(),
            "closes_at": consultation.closes_at.isoformat(),
            "url": absolute_url(consultation.url),
        },
        "count": len(contributions),
        "contributions": contributions,
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(consultation, "json")}"'
    return response
