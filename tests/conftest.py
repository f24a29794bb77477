# >>> PARALLEL-WORK NOTE (lead engineer, remove at merge): several engineers work in this checkout at once.
# >>> Before editing anything, READ /tmp/common.md (working agreement: no git commits, shared-file etiquette,
# >>> per-engineer DB/Redis/index names for service tests, 10:45 UTC deadline).
import pytest
from django.core.management import call_command


def _load_demo() -> None:
    call_command("load_demo", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo content is the baseline world of every test: loaded once per
    session in the test database, each test's changes rolled back after it."""
    with django_db_blocker.unblock():
        _load_demo()


@pytest.fixture
def demo(db):
    """The demo content (reloaded if a transactional test flushed it)."""
    from experiences.models import ExperiencePage

    if not ExperiencePage.objects.exists():
        _load_demo()
