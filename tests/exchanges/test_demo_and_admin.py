"""The demo shows the feature at once, and administrators link members to cities."""

import pytest

from exchanges import rules
from exchanges.models import CityContact, ExchangeRequest
from experiences.models import City

from .conftest import make_member

pytestmark = pytest.mark.django_db


def test_the_demo_has_requests_in_each_state_and_the_officer_answers_for_bethune(client, demo):
    states = set(ExchangeRequest.objects.values_list("state", flat=True))
    assert states >= {s.value for s in ExchangeRequest.State}
    bethune = City.objects.get(name="Béthune")
    assert rules.city_contacts(bethune).filter(username="officer").exists()
    officer = rules.city_contacts(bethune).get(username="officer")
    waiting = ExchangeRequest.objects.get(target_city=bethune, state="sent")
    assert rules.can_answer(officer, waiting)
    client.force_login(officer)
    html = client.get("/fr/exchanges/").content.decode()
    assert f"/fr/exchanges/{waiting.pk}/" in html


def test_an_administrator_links_a_member_to_a_city_and_is_recorded_as_verifier(client, admin_user, demo):
    member = make_member("to-link")
    city = City.objects.get(name="Cahors")
    client.force_login(admin_user)
    assert client.get("/admin/city_contacts/").status_code == 200
    response = client.post(
        "/admin/city_contacts/new/",
        {"city": city.pk, "member": member.pk, "role": "Relations internationales", "verified": "on"},
    )
    assert response.status_code == 302
    link = CityContact.objects.get(member=member)
    assert link.verified and link.verified_by == admin_user and link.verified_at is not None
    assert rules.city_contacts(city).filter(pk=member.pk).exists()


def test_a_member_is_not_a_contact_until_verified(demo):
    member = make_member("unverified-link")
    city = City.objects.get(name="Cahors")
    CityContact.objects.create(city=city, member=member)
    assert not rules.city_contacts(city).filter(pk=member.pk).exists()


def test_the_admin_lists_exchange_emails_and_reports(client, admin_user, demo):
    client.force_login(admin_user)
    for path in ("/admin/exchange_emails/", "/admin/exchange_reports/", "/admin/exchange_blocks/"):
        assert client.get(path).status_code == 200, path
