"""start_partnership: the entry point the exchanges app calls when an exchange is accepted."""

import pytest
from django.core.exceptions import ValidationError

from experiences.models import ExperiencePage
from partnerships.models import Partnership
from partnerships.services import start_partnership

pytestmark = pytest.mark.django_db


def test_starts_a_partnership_with_keys_or_objects(cities, django_user_model):
    officer = django_user_model.objects.create_user("officer-p", "officer-p@example.org", "x")
    report = ExperiencePage.objects.filter(city=cities["Lorient"]).first()
    partnership = start_partnership(
        cities=[cities["Lorient"], cities["Da Nang"].pk],
        themes=["energy-climate"],
        sdgs=[7, 11],
        kind=Partnership.Kind.TECHNICAL_COOPERATION,
        reports=[report],
        started_by=officer,
    )
    partnership.refresh_from_db()
    assert [c.name for c in partnership.cities] == ["Lorient", "Da Nang"]
    assert [t.slug for t in partnership.themes.all()] == ["energy-climate"]
    assert sorted(s.number for s in partnership.sdgs.all()) == [7, 11]
    assert list(partnership.reports.all()) == [report]
    assert partnership.status == "exploring"
    assert partnership.started_by == officer
    assert partnership.start_date is not None
    assert partnership.is_public is False  # shown once an editor says so
    assert partnership.region_pair == "north-south"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"kind": "dinner"}, "kind"),
        ({"status": "married"}, "status"),
        ({"themes": ["no-such-theme"]}, "themes"),
        ({"sdgs": [18]}, "sdgs"),
        ({"one_city": True}, "cities"),
    ],
)
def test_refuses_bad_values_and_stores_nothing(cities, changes, field):
    arguments = {"cities": [cities["Lorient"], cities["Da Nang"]], "kind": "documents"}
    if changes.pop("one_city", False):
        arguments["cities"] = [cities["Lorient"], cities["Lorient"]]
    arguments.update(changes)
    before = Partnership.objects.count()
    with pytest.raises(ValidationError) as error:
        start_partnership(**arguments)
    assert field in error.value.message_dict
    assert Partnership.objects.count() == before
