"""What a reader gets when a request fails."""

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
