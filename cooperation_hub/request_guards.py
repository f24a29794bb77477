"""Requests refused before any view reads them: too large, or carrying a NUL.

Django limits the form fields it keeps in memory (DATA_UPLOAD_MAX_MEMORY_SIZE)
but spools any file part of any form to disk, whatever its size. No public form
takes a file, so outside the admin a request larger than HUB_MAX_REQUEST_BYTES
is refused at once with a 413; the admin (documents, images) has its own cap.

A NUL character has no use in an address, and PostgreSQL refuses it in any
text it compares: a path or query string holding one gets a 400 here rather
than a 500 from whichever query first meets it (in JSON, naming the parameters,
for the JSON APIs under /api/). Forms refuse NUL themselves: Django's CharField
validates against it.

The e-mail provider webhooks (django-anymail, under /anymail/) decode their
JSON without guarding against a malformed body: such a body is the caller's
mistake, answered 400, not a server error.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict

logger = logging.getLogger(__name__)
WEBHOOKS = "/anymail/"
JSON_APIS = "/api/"
# What decoding a malformed payload raises (json.JSONDecodeError and UnicodeDecodeError are ValueErrors).
MALFORMED_PAYLOAD = (ValueError, TypeError, KeyError, IndexError, AttributeError)


def max_request_bytes(path: str) -> int:
    """The largest request body accepted on this path."""
    if path.startswith("/admin/"):
        return settings.HUB_ADMIN_MAX_REQUEST_BYTES
    return settings.HUB_MAX_REQUEST_BYTES


def has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info:
        return True
    query = request.META.get("QUERY_STRING", "")
    return "%00" in query or "\x00" in query


def nul_parameters(request: HttpRequest) -> list[str]:
    """The query parameters holding a NUL (their names cleaned of it), or "path"."""
    if "\x00" in request.path_info:
        return ["path"]
    query = QueryDict(request.META.get("QUERY_STRING", ""))
    return sorted(
        {
            name.replace("\x00", "") or "?"
            for name, values in query.lists()
            if "\x00" in name or any("\x00" in value for value in values)
        }
    ) or ["query"]


def _refusal(status: int, french: str, english: str) -> HttpResponse:
    # Bilingual: the reader's language is not known yet at this point.
    return HttpResponse(f"{french}\n{english}\n", status=status, content_type="text/plain; charset=utf-8")


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django treats an unreadable length as an empty body
        limit = max_request_bytes(request.path_info)
        if length > limit:
            megabytes = f"{limit / 1024 / 1024:.1f}"
            return _refusal(
                413,
                f"Requête trop volumineuse : {megabytes} Mo au plus.",
                f"Request too large: {megabytes} MB at most.",
            )
        if has_nul(request):
            if request.path_info.startswith(JSON_APIS):
                message = "Invalid value: it contains a NUL character."
                return JsonResponse(
                    {"error": "invalid parameters", "errors": {name: message for name in nul_parameters(request)}},
                    status=400,
                )
            return _refusal(
                400,
                "Adresse invalide : elle contient un caractère nul.",
                "Invalid address: it contains a NUL character.",
            )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path_info.startswith(WEBHOOKS) and isinstance(exception, MALFORMED_PAYLOAD):
            logger.warning("Malformed webhook payload on %s: %r", request.path_info, exception)
            return _refusal(400, "Contenu du webhook illisible.", "Malformed webhook payload.")
        return None
