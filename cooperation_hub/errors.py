"""The answer when a request fails: a database outage says "come back soon", a defect is a 500.

Only an outage (the database unreachable, restarting, out of connections, or
SQLite's file locked by another writer) is a 503 with Retry-After. A query the
database refuses (an FTS5 syntax error, an expression tree too large, a number
out of range…) is a defect of ours: a 500, logged as such, never "try again".
Under /api/ the answer is JSON, in the APIs' error shape.
"""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import page_not_found
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30
JSON_APIS = "/api/"

# PostgreSQL SQLSTATE classes of an outage: connection exception (08), insufficient
# resources (53: too many connections, disk full), operator intervention (57P: shutdown,
# cannot connect now). 57014 (statement timeout, a cancelled query) is not one of them.
OUTAGE_SQLSTATES = ("08", "53", "57P")
# What a driver says when it has no SQLSTATE to give (the connection never opened, or SQLite).
OUTAGE_MESSAGES = (
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "could not connect",
    "connection refused",
    "connection failed",
    "connection timed out",
    "connection is closed",
    "connection already closed",
    "server closed the connection",
    "terminating connection",
    "the database system is",
    "too many connections",
    "timeout expired",
    "could not translate host name",
    "name or service not known",
    "no route to host",
    "ssl syscall error",
    "consuming input failed",
)


def is_outage(error: BaseException | None) -> bool:
    """Whether this exception means the database is out of reach (retry later), not that a query is wrong."""
    if isinstance(error, InterfaceError):
        return True  # the connection is gone
    if not isinstance(error, OperationalError):
        return False  # programming, integrity and data errors, and any non-database error, are defects
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        return str(sqlstate).startswith(OUTAGE_SQLSTATES)
    text = str(error).lower()
    return any(message in text for message in OUTAGE_MESSAGES)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 with Retry-After while the database is out of reach, a 500 otherwise.

    A database restart is a pause, not a bug: readers and crawlers are told to
    retry (the connections are health-checked, so the site recovers by itself).
    The page is rendered without any context processor: they may need the
    database too.
    """
    error = sys.exc_info()[1]
    outage = isinstance(error, DatabaseError) and is_outage(error)
    if request.path.startswith(JSON_APIS):
        if outage:
            response: HttpResponse = JsonResponse({"error": "service unavailable", "errors": {}}, status=503)
        else:
            response = JsonResponse({"error": "server error", "errors": {}}, status=500)
    elif outage:
        response = HttpResponse(render_to_string("503.html"), status=503)
    else:
        return django_server_error(request)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class NotFoundPageMiddleware:
    """A page that does not exist gets the site's own 404 page, with DEBUG on too.

    `make run` serves with DEBUG on, and it is what newcomers and testers try: with it Django
    would answer a mistyped address with its technical page (the URL patterns, "You're seeing
    this error because you have DEBUG = True"), which is not the product. Without DEBUG this
    changes nothing. The JSON APIs answer their own 404s.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and not request.path.startswith(JSON_APIS):
            return page_not_found(request, exception)
        return None
