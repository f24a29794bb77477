"""Officers of either city edit a partnership; the other side confirms changes that name them."""

import datetime

import pytest
from django.contrib.auth.models import Group

from experiences.models import ExperiencePage
from experiences.publishing import OFFICERS
from partnerships import changes
from partnerships.models import Partnership, PartnershipCity
from partnerships.services import start_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(cities, django_user_model):
    """Lorient–Da Nang; each city answered for by the owner of its linked report (an officer)."""
    officers = Group.objects.get(name=OFFICERS)
    people = {}
    for name, username in (("Lorient", "lo-edit"), ("Da Nang", "dn-edit")):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", "x")
        user.groups.add(officers)
        report = ExperiencePage.objects.filter(city=cities[name]).first()
        ExperiencePage.objects.filter(pk=report.pk).update(owner=user)
        people[name] = (user, report)
    partnership = start_partnership(
        cities=[cities["Lorient"], cities["Da Nang"]],
        kind="technical-cooperation",
        reports=[people["Lorient"][1], people["Da Nang"][1]],
        start_date=datetime.date(2025, 1, 1),
        title="Pair",
    )
    return {"partnership": partnership, "lorient": people["Lorient"][0], "danang": people["Da Nang"][0]}


def edit(partnership, user, *, end_date=None, add_city=None, title=None):
    """What the admin's edit view does: the form saves, then the change is held if it must be."""
    before = changes.snapshot(partnership)
    if end_date:
        partnership.end_date = end_date
    if title:
        partnership.title_en = title
    partnership.save()
    if add_city:
        PartnershipCity.objects.create(partnership=partnership, city=add_city, sort_order=9)
    return changes.hold_for_confirmation(partnership, before, user)


def test_a_change_of_dates_waits_for_the_other_side(pair):
    partnership, lorient, danang = pair["partnership"], pair["lorient"], pair["danang"]
    assert edit(partnership, lorient, end_date=datetime.date(2027, 6, 30)) is True
    stored = Partnership.objects.get(pk=partnership.pk)
    assert stored.end_date is None and stored.pending_by == lorient
    assert stored.pending_change["end_date"] == "2027-06-30"
    assert not changes.can_confirm(lorient, stored)  # not the side that proposed it
    assert changes.can_confirm(danang, stored)
    assert changes.confirm(stored, danang)
    stored.refresh_from_db()
    assert stored.end_date == datetime.date(2027, 6, 30) and stored.pending_change == {}


def test_an_added_city_waits_for_that_city_and_a_rejection_keeps_the_cities(pair, cities, django_user_model):
    partnership, lorient, danang = pair["partnership"], pair["lorient"], pair["danang"]
    assert edit(partnership, lorient, add_city=cities["Saint-Louis"]) is True
    stored = Partnership.objects.get(pk=partnership.pk)
    assert [c.name for c in stored.cities] == ["Lorient", "Da Nang"]
    assert stored.pending_change["awaiting"] == [cities["Saint-Louis"].pk]
    assert not changes.can_confirm(danang, stored)  # Da Nang is not named by this change
    admin = django_user_model.objects.create_superuser("p-admin", "p-admin@example.org", "x")
    assert changes.reject(stored, admin)
    stored.refresh_from_db()
    assert stored.pending_change == {} and [c.name for c in stored.cities] == ["Lorient", "Da Nang"]


def test_other_fields_and_administrators_are_not_held(pair, django_user_model):
    partnership, lorient = pair["partnership"], pair["lorient"]
    assert edit(partnership, lorient, title="Renamed") is False
    admin = django_user_model.objects.create_superuser("p-admin2", "p-admin2@example.org", "x")
    assert edit(partnership, admin, end_date=datetime.date(2026, 1, 1)) is False
    stored = Partnership.objects.get(pk=partnership.pk)
    assert stored.title_en == "Renamed" and stored.end_date == datetime.date(2026, 1, 1)


def test_the_other_side_confirms_in_the_admin(pair, client):
    partnership, lorient, danang = pair["partnership"], pair["lorient"], pair["danang"]
    edit(partnership, lorient, end_date=datetime.date(2027, 6, 30))
    url = f"/admin/partnerships/{partnership.pk}/pending/"
    client.force_login(lorient)
    assert client.get(url).status_code == 404
    client.force_login(danang)
    assert url in client.get("/admin/").content.decode()  # the dashboard lists it
    page = client.get(url)
    assert page.status_code == 200 and "2027-06-30" in page.content.decode()
    assert client.post(url, {"action": "confirm"}).status_code == 302
    assert Partnership.objects.get(pk=partnership.pk).end_date == datetime.date(2027, 6, 30)
