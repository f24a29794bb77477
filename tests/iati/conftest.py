import pytest


@pytest.fixture(autouse=True)
def _baseline(request):
    """The demo content is the baseline world of every database test here."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("demo")
