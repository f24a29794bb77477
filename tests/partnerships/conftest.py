import pytest

from experiences.models import City


@pytest.fixture
def cities(demo):
    """Demo cities on both sides of the divide, by name."""
    return {city.name: city for city in City.objects.all()}
