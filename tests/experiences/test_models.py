"""Model rules: North/South region, size class, GeoNames suggestions."""

import pytest
from django.core.exceptions import ValidationError

from experiences import vocabulary
from experiences.geonames import lookup
from experiences.models import City
from experiences.regions import region_for_country

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "region"),
    [("FR", "north"), ("DE", "north"), ("US", "north"), ("JP", "north"), ("NZ", "north"),
     ("SN", "south"), ("CN", "south"), ("AE", "south"), ("BR", "south"), ("VN", "south")],
)  # fmt: skip
def test_region_is_derived_from_the_country_by_the_m49_classification(country, region):
    assert region_for_country(country) == region
    assert region_for_country(country.lower()) == region


def test_a_city_takes_the_region_of_its_country():
    city = City.objects.create(name="Ziguinchor-test", country="sn")
    assert (city.country, city.region) == ("SN", "south")


def test_an_editor_can_override_the_region_of_a_single_city():
    city = City.objects.create(name="Override-test", country="FR", region_override="south")
    assert city.region == "south"
    city.region_override = ""
    city.save()
    assert city.region == "north"


@pytest.mark.parametrize(
    ("population", "size"),
    [(None, None), (0, "small"), (19_999, "small"), (20_000, "medium"), (100_000, "medium"), (100_001, "large"),
     (1_000_000, "large"), (1_000_001, "metropolis")],
)  # fmt: skip
def test_size_class_boundaries(population, size):
    assert vocabulary.size_class(population) == size


def test_a_city_stores_its_size_class_for_filtering():
    city = City.objects.create(name="Size-test", country="FR", population=100_001)
    assert city.size == "large"
    city.population = None
    city.save()
    assert city.size == ""


def test_clean_rejects_a_country_that_is_not_iso_alpha_2():
    with pytest.raises(ValidationError) as error:
        City(name="Nowhere", country="XX").clean()
    assert "country" in error.value.message_dict


def test_geonames_suggests_coordinates_and_population_for_a_unique_city():
    city = City(name="Bethune", country="fr")
    city.clean()
    assert city.latitude == pytest.approx(50.53, abs=0.05)
    assert city.longitude == pytest.approx(2.64, abs=0.05)
    assert city.population and city.population > 20_000


def test_geonames_never_replaces_what_the_editor_entered():
    city = City(name="Béthune", country="FR", latitude=1.0, longitude=2.0, population=25_000)
    city.clean()
    assert (city.latitude, city.longitude, city.population) == (1.0, 2.0, 25_000)


def test_geonames_fills_only_the_blank_population():
    city = City(name="Lyon", country="FR", latitude=45.0, longitude=4.0)
    city.clean()
    assert (city.latitude, city.longitude) == (45.0, 4.0)
    assert city.population and city.population > 400_000


def test_geonames_suggests_nothing_for_an_unknown_or_foreign_name():
    assert lookup("Testville", "FR") is None
    assert lookup("Lyon", "SN") is None
    city = City(name="Testville", country="FR")
    city.clean()
    assert city.latitude is None and city.population is None
