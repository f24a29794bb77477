"""Wagtail hooks of the site as a whole."""

from django.http import Http404, HttpRequest
from wagtail import hooks

from .visibility import document_visible_to


@hooks.register("before_serve_document")
def serve_only_documents_of_visible_pages(document, request: HttpRequest):
    """/documents/<id>/<file> answers 404 for a document no page the reader may see links
    to (uploaded for a draft, or used only on a private page whose password the reader
    has not given): as if it did not exist, like the draft page itself."""
    if not document_visible_to(document, request):
        raise Http404("No such document")
