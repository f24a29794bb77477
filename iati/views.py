"""GET /api/iati/activities.xml and /api/iati/activities/<external_id>.xml."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET
from lxml import etree

from . import export

CONTENT_TYPE = "application/xml; charset=utf-8"


def _error(message: str, status: int) -> HttpResponse:
    """An error in the endpoint's own format: a small XML document."""
    error = etree.Element("error", status=str(status))
    error.text = message
    body = etree.tostring(error, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)


@require_GET
def activities(request: HttpRequest) -> HttpResponseBase:
    """Every public report the list's filters select, streamed: memory stays flat on a large hub."""
    try:
        selected = export.selected_queryset(request.GET)
    except ValueError as exc:
        return _error(str(exc), 400)
    response = StreamingHttpResponse(export.stream(export.report_groups(selected)), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="activities.xml"'
    return response


@require_GET
def activity(request: HttpRequest, external_id: str) -> HttpResponse:
    """One public report as an iati-activities file of one activity; 404 with an XML body otherwise."""
    selected = export.selected_queryset().filter(external_id=external_id)
    if not selected.exists():
        return _error(f"No published experience report has the id {external_id!r}.", 404)
    body = b"".join(export.stream(export.report_groups(selected)))
    return HttpResponse(body, content_type=CONTENT_TYPE)
