import pytest

from tests.experiences.test_page_costs import *  # noqa: F403
from tests.experiences.test_page_costs import pytestmark  # noqa: F401


@pytest.fixture(autouse=True)
def _own(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "h13"}}
