"""The region pair of a partnership, from its cities' regions (plain Python, and the same rule in SQL)."""

import pytest

from partnerships.models import Partnership, region_pair
from partnerships.services import start_partnership


@pytest.mark.parametrize(
    "regions, expected",
    [
        (["north", "south"], "north-south"),
        (["south", "north", "south"], "north-south"),  # triangular: still across the divide
        (["south", "south"], "south-south"),
        (["north", "north"], "north-north"),
        ([], ""),
    ],
)
def test_region_pair(regions, expected):
    assert region_pair(regions) == expected


@pytest.mark.django_db
def test_the_sql_filter_agrees_with_the_property(cities):
    made = {
        "north-south": start_partnership(cities=[cities["Lille"], cities["Saint-Louis"]], kind="documents"),
        "south-south": start_partnership(cities=[cities["Curitiba"], cities["Da Nang"]], kind="documents"),
        "north-north": start_partnership(cities=[cities["Lille"], cities["Lorient"]], kind="documents"),
    }
    for pair, partnership in made.items():
        assert partnership.region_pair == pair
        assert Partnership.objects.in_region_pair(pair).filter(pk=partnership.pk).exists()
        others = set(made) - {pair}
        assert not any(Partnership.objects.in_region_pair(o).filter(pk=partnership.pk).exists() for o in others)


@pytest.mark.django_db
def test_display_title_falls_back_to_the_cities(cities):
    partnership = start_partnership(cities=[cities["Saumur"], cities["Chefchaouen"]], kind="school-twinning")
    assert str(partnership) == "Saumur – Chefchaouen"


@pytest.mark.django_db
def test_the_demo_has_a_north_south_and_a_south_south_partnership(demo):
    pairs = sorted(p.region_pair for p in Partnership.objects.visible_to_public().for_display())
    assert pairs == ["north-south", "south-south"]
