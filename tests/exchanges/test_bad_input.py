"""Bad input on the forms: a clear message on the page, status 400, nothing stored."""

import pytest

from exchanges.models import ExchangeMessage, ExchangeRequest

from .conftest import make_member

pytestmark = pytest.mark.django_db


def _valid(home, target, report):
    return {
        "target_city": target.pk,
        "requesting_city": home.pk,
        "organisation": "Ville de Cahors",
        "role": "Chargée de mission",
        "kind": "documents",
        "languages": ["fr"],
        "message": "Pourriez-vous partager votre cahier des charges ?",
        "consent": "on",
        "report": report.pk,
    }


@pytest.mark.parametrize(
    "change, field_error",
    [
        ({"kind": "teleportation"}, "Select a valid choice"),
        ({"consent": None}, "This field is required"),
        ({"message": ""}, "This field is required"),
        ({"message": "x" * 4001}, "at most 4000 characters"),
        ({"requesting_city": "", "new_city_name": ""}, "Choose your city, or name it"),
        ({"requesting_city": "", "new_city_name": "Ziguinchor", "new_city_country": "ZZ"}, "ISO 3166-1"),
        ({"target_city": "999999"}, "Select a valid choice"),
        ({"languages": ["xx"]}, "Select a valid choice"),
    ],
)
def test_bad_input_gives_form_errors_and_stores_nothing(client, requester, home, target, report, change, field_error):
    data = _valid(home, target, report)
    for key, value in change.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    client.force_login(requester)
    response = client.post("/en/exchanges/propose/", data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not ExchangeRequest.objects.filter(requester=requester).exists()


def test_proposing_to_ones_own_city_is_refused(client, requester, home, report, target):
    data = _valid(home, target, report)
    data["target_city"] = home.pk
    client.force_login(requester)
    response = client.post("/en/exchanges/propose/", data)
    assert response.status_code == 400 and "another city than your own" in response.content.decode()


def test_an_unverified_member_is_told_and_nothing_is_stored(client, home, target, report):
    member = make_member("unverified", verified=False)
    client.force_login(member)
    page = client.get("/en/exchanges/propose/")
    assert "Confirm your e-mail address" in page.content.decode()
    response = client.post("/en/exchanges/propose/", _valid(home, target, report))
    assert response.status_code == 403
    assert not ExchangeRequest.objects.filter(requester=member).exists()


def test_a_valid_request_is_stored_and_the_form_is_prefilled_from_a_report(client, requester, home, target, report):
    client.force_login(requester)
    page = client.get(f"/en/exchanges/propose/?report={report.pk}").content.decode()
    assert f'<option value="{target.pk}" selected>' in page and f'<option value="{home.pk}" selected>' in page
    response = client.post("/en/exchanges/propose/", _valid(home, target, report))
    exchange = ExchangeRequest.objects.get(requester=requester)
    assert response.status_code == 302 and response["Location"] == f"/en/exchanges/{exchange.pk}/"
    assert exchange.report_id == report.pk and exchange.languages == ["fr"]


def test_an_empty_reply_and_an_unknown_action_are_refused(client, send, contact):
    exchange = send()
    client.force_login(contact)
    response = client.post(f"/en/exchanges/{exchange.pk}/", {"action": "reply", "body": "  "})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert client.post(f"/en/exchanges/{exchange.pk}/", {"action": "explode"}).status_code == 400
    response = client.post(f"/en/exchanges/{exchange.pk}/", {"action": "decline", "reason": ""})
    assert response.status_code == 400
    exchange.refresh_from_db()
    assert exchange.state == "sent"
    assert not ExchangeMessage.objects.filter(request=exchange, kind="message").exists()


def test_the_rate_limit_stops_a_flood(client, settings, requester, home, target, report):
    settings.CONTRIBUTIONS_RATE_LIMITS = {"exchange": (2, 3600)}
    client.force_login(requester)
    statuses = [client.post("/en/exchanges/propose/", _valid(home, target, report)).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert ExchangeRequest.objects.filter(requester=requester).count() == 2


def test_signing_in_first_comes_back_to_the_prefilled_form(client, report):
    response = client.get(f"/en/exchanges/propose/?report={report.pk}")
    assert response.status_code == 302
    assert "/accounts/login/?next=/en/exchanges/propose/%3Freport%3D" in response["Location"]


@pytest.mark.parametrize("odd", ["²", "٣", "9" * 400, "-1", "1e3"])
def test_an_odd_report_number_in_the_address_opens_an_empty_form(client, requester, odd):
    """The form answered 500 to ?report=²: "²".isdigit() is true, and int() refuses it."""
    client.force_login(requester)
    response = client.get(f"/en/exchanges/propose/?report={odd}")
    assert response.status_code == 200
    assert 'name="report"' in response.content.decode()
