import pytest
from django.core.management import call_command
from django.db import transaction

from .helpers import WORLD, import_records


def _ensure_demo() -> None:
    # A transactional test (the browser test) flushes the database; the demo is the baseline world.
    from experiences.models import ExperiencePage

    if not ExperiencePage.objects.exists():
        call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def _baseline(request):
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("demo")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Six English reports with known facts, imported once for a module and rolled back after it."""
    with django_db_blocker.unblock():
        _ensure_demo()
        with transaction.atomic():
            import_records(*WORLD)
            _refresh_search_engines()
            yield
            transaction.set_rollback(True)


def _refresh_search_engines() -> None:
    # OpenSearch/Elasticsearch make new documents searchable after a refresh.
    from modelsearch.backends import get_search_backends

    from experiences.models import ExperiencePage

    for backend in get_search_backends(with_auto_update=True):
        index_for = getattr(backend, "get_index_for_model", None)
        if index_for is not None:
            index_for(ExperiencePage).refresh()
