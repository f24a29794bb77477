"""The answer when a request fails: a database outage says "come back soon"."""

import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 with Retry-After while PostgreSQL is unreachable, Django's 500 otherwise.

    A database restart is a pause, not a bug: readers and crawlers are told to
    retry (the connections are health-checked, so the site recovers by itself).
    The page is rendered without any context processor: they may need the
    database too.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError) and not _is_a_query_bug(error):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request)


def _is_a_query_bug(error: DatabaseError) -> bool:
    # Programming and integrity errors are defects to fix, not an outage.
    from django.db import DataError, IntegrityError, ProgrammingError

    return isinstance(error, (DataError, IntegrityError, ProgrammingError))
