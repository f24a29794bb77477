"""What a reader gets when a request fails."""

import json

import pytest
from django.db import IntegrityError, OperationalError
from django.test import RequestFactory

from cooperation_hub.errors import server_error


def _answer_while_raising(error: Exception):
    try:
        raise error
    except Exception:  # handler500 runs while the exception is being handled
        return server_error(RequestFactory().get("/fr/"))


def test_an_unreachable_database_answers_503_with_retry_after_in_both_languages():
    response = _answer_while_raising(OperationalError("connection refused"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Service momentanément indisponible" in page and "Service temporarily unavailable" in page


def test_a_defect_is_still_a_500():
    assert _answer_while_raising(IntegrityError("duplicate key")).status_code == 500
    assert _answer_while_raising(ValueError("bug")).status_code == 500


class _DriverError(Exception):
    """What psycopg raises, with the SQLSTATE it carries."""

    def __init__(self, message: str, sqlstate: str | None):
        super().__init__(message)
        self.sqlstate = sqlstate


def _wrapped(message: str, sqlstate: str | None = None) -> OperationalError:
    # Django re-raises a driver's error as its own, the driver's as __cause__.
    error = OperationalError(message)
    error.__cause__ = _DriverError(message, sqlstate)
    return error


def test_only_an_unreachable_database_is_an_outage():
    from django.db import DataError, InterfaceError, ProgrammingError

    from cooperation_hub.errors import is_outage

    outages = [
        OperationalError("database is locked"),
        OperationalError("connection refused"),
        _wrapped("server closed the connection unexpectedly", "08006"),
        _wrapped("the database system is shutting down", "57P03"),
        _wrapped("sorry, too many clients already", "53300"),
        _wrapped('connection failed: could not connect to server "db"'),
        InterfaceError("connection already closed"),
    ]
    query_errors = [
        OperationalError('fts5: syntax error near """'),
        OperationalError("fts5: parser stack overflow"),
        OperationalError("Expression tree is too large (maximum depth 1000)"),
        OperationalError("too many SQL variables"),
        OperationalError("no such column: x"),
        _wrapped("canceling statement due to statement timeout", "57014"),
        _wrapped('syntax error in tsquery: "a & "', "42601"),
        ProgrammingError("relation does not exist"),
        DataError("value out of range"),
        IntegrityError("duplicate key"),
        ValueError("bug"),
        None,
    ]
    assert [is_outage(e) for e in outages] == [True] * len(outages)
    assert [is_outage(e) for e in query_errors] == [False] * len(query_errors)


def test_a_query_the_database_refuses_is_a_500_not_come_back_later():
    response = _answer_while_raising(OperationalError("Expression tree is too large (maximum depth 1000)"))
    assert response.status_code == 500 and "Retry-After" not in response


def _api_answer_while_raising(error: Exception):
    try:
        raise error
    except Exception:
        return server_error(RequestFactory().get("/api/search/"))


def test_the_json_apis_fail_in_json():
    response = _api_answer_while_raising(OperationalError('fts5: syntax error near """'))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"error": "server error", "errors": {}}
    response = _api_answer_while_raising(OperationalError("database is locked"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert json.loads(response.content) == {"error": "service unavailable", "errors": {}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "words"), [("/en/no-such-report/", "Error 404"), ("/fr/pas-de-rapport/", "Erreur 404")]
)
def test_a_mistyped_address_gets_the_sites_404_page_with_debug_on_too(client, demo, settings, url, words):
    """`make run` serves with DEBUG on: a reader must not get Django's technical page."""
    settings.DEBUG = True
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 404
    assert words in page and "DEBUG = True" not in page and "URLconf" not in page
