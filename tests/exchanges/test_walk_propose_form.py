"""Walked as a peer (issue #15): the "Propose an exchange" form asked for the country of an
unlisted city as an ISO code ("Son pays (code ISO, par ex. SN)"), and its consent box sat alone
on a line above its label."""

import re

import pytest

from exchanges.models import ExchangeRequest

from .test_bad_input import _valid

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang, label, senegal", [("fr", "Son pays", "Sénégal"), ("en", "Its country", "Senegal")])
def test_the_country_of_an_unlisted_city_is_chosen_by_name(client, requester, report, lang, label, senegal):
    client.force_login(requester)
    html = client.get(f"/{lang}/exchanges/propose/?report={report.pk}").content.decode()
    assert "ISO" not in html
    field = re.search(r'<select name="new_city_country"[^>]*>(.*?)</select>', html, re.S)
    assert field is not None, "the country is not a list to choose from"
    assert f'<option value="SN">{senegal}</option>' in field.group(1)
    assert f'<label for="id_new_city_country">{label}</label>' in html


def test_a_city_named_with_its_country_chosen_by_name_is_proposed(client, requester, home, target, report):
    client.force_login(requester)
    data = _valid(home, target, report) | {
        "requesting_city": "",
        "new_city_name": "Ziguinchor",
        "new_city_country": "SN",
    }
    response = client.post("/fr/exchanges/propose/", data)
    assert response.status_code == 302
    assert ExchangeRequest.objects.filter(requester=requester).exists()


def test_the_consent_box_stands_beside_its_label(client, requester, report):
    client.force_login(requester)
    html = client.get(f"/fr/exchanges/propose/?report={report.pk}").content.decode()
    assert re.search(r'<div class="check"><input type="checkbox" name="consent"[^>]*> <label for="id_consent">', html)


def test_the_city_contacts_french_e_mail_says_what_to_accept(
    client, requester, contact, home, target, report, mailoutbox, django_capture_on_commit_callbacks
):
    """ "Nadia Benali (Annecy) propose un échange à Saint-Louis : documents. … Acceptez-la, refusez-la…":
    "la" named nothing (an "échange" is masculine); the e-mail now says "Acceptez la demande"."""
    client.force_login(requester)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/en/exchanges/propose/", _valid(home, target, report)).status_code == 302
    to_contact = [m for m in mailoutbox if contact.email in m.to]
    assert len(to_contact) == 1
    assert (
        "Acceptez la demande, refusez-la en donnant un motif ou transmettez-la à un collègue\xa0:" in to_contact[0].body
    )


def test_the_working_languages_start_with_the_members_and_the_pages(client, requester, report):
    """A member whose profile says English, proposing from the French site, worked "in English" only
    unless they noticed the box: French is ticked too, since they are reading it."""
    requester.language = "en"
    requester.save(update_fields=["language"])
    client.force_login(requester)
    html = client.get(f"/fr/exchanges/propose/?report={report.pk}").content.decode()
    checked = set(re.findall(r'<input type="checkbox" name="languages" value="(\w+)"[^>]*checked', html))
    assert checked == {"fr", "en"}, checked
