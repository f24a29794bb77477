"""Language helpers of the database backend, and the django-tasks → Celery bridge."""

import pytest
from django_tasks import task

from cooperation_hub.text import fold, highlight, stem, variants
from search.query import parse_query


def test_fold_strips_accents_and_case():
    assert fold("Béthune") == "bethune"
    assert fold("ÉCOLE") == "ecole"
    assert fold("Cœur") == "coeur"


def test_light_stemming_joins_singular_and_plural():
    assert stem("écoles") == stem("école")
    assert stem("schools") == stem("school")
    assert stem("cities") == stem("city")
    assert "ecole" in variants("écoles") and "school" in variants("schools")


def test_query_parsing_keeps_phrases():
    parsed = parse_query('"smart city" Béthune écoles')
    assert parsed.phrases == ["smart city"] and parsed.terms == ["bethune", "ecoles"]


def test_highlight_marks_words_and_escapes_the_rest():
    html = highlight("<b>Les écoles</b> de Béthune & leurs élèves", ["ecole", "bethune"])
    assert "<mark>écoles</mark>" in html and "<mark>Béthune</mark>" in html
    assert "&lt;b&gt;" in html and "&amp;" in html


CALLS: list[int] = []


@task()
def remember(value: int) -> None:
    CALLS.append(value)


@pytest.fixture
def inline_celery(settings):
    """Tasks run inline in tests; a worker test earlier in the session may
    have left the Celery app sending to its broker."""
    from cooperation_hub.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = eager


def test_django_tasks_run_through_celery(settings, inline_celery):
    assert settings.TASKS["default"]["BACKEND"] == "search.task_backend.CeleryTaskBackend"
    result = remember.enqueue(41)
    assert result.status == "READY"
    assert CALLS[-1] == 41  # run by search.tasks.run_django_task (eager in tests)
