"""A proposal or a message posted twice (an answer lost with a web node, a second click) is
stored once, and the second post is answered as the first was (cooperation_hub/once.py)."""

import re

import pytest

from exchanges.models import ExchangeMessage, ExchangeNotification, ExchangeRequest

from .test_bad_input import _valid

pytestmark = pytest.mark.django_db


def _token(html: str) -> str:
    return re.search(r'name="submission_token" value="([0-9a-f]{32})"', html).group(1)


def test_the_same_proposal_posted_twice_is_one_request_and_one_email_per_contact(
    client, requester, home, target, report, contact, django_capture_on_commit_callbacks
):
    client.force_login(requester)
    form = client.get(f"/en/exchanges/propose/?report={report.pk}").content.decode()
    data = {**_valid(home, target, report), "submission_token": _token(form)}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/en/exchanges/propose/", data)
        second = client.post("/en/exchanges/propose/", data)
    exchange = ExchangeRequest.objects.get(requester=requester)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/en/exchanges/{exchange.pk}/"
    assert ExchangeNotification.objects.filter(request=exchange, recipient=contact).count() == 1


def test_two_forms_are_two_requests(client, requester, home, target, report):
    client.force_login(requester)
    for _ in range(2):
        form = client.get("/en/exchanges/propose/").content.decode()
        client.post("/en/exchanges/propose/", {**_valid(home, target, report), "submission_token": _token(form)})
    assert ExchangeRequest.objects.filter(requester=requester).count() == 2


def test_a_token_sent_back_with_another_message_is_a_new_request(client, requester, home, target, report):
    client.force_login(requester)
    token = _token(client.get("/en/exchanges/propose/").content.decode())
    client.post("/en/exchanges/propose/", {**_valid(home, target, report), "submission_token": token})
    other = {**_valid(home, target, report), "submission_token": token, "message": "Another question entirely."}
    client.post("/en/exchanges/propose/", other)
    assert ExchangeRequest.objects.filter(requester=requester).count() == 2


def test_the_same_message_posted_twice_is_stored_once(client, send, requester):
    exchange = send()
    client.force_login(requester)
    page = client.get(f"/en/exchanges/{exchange.pk}/").content.decode()
    data = {"action": "reply", "body": "Thank you, here is our draft.", "submission_token": _token(page)}
    assert client.post(f"/en/exchanges/{exchange.pk}/", data).status_code == 302
    assert client.post(f"/en/exchanges/{exchange.pk}/", data).status_code == 302
    assert ExchangeMessage.objects.filter(request=exchange, body="Thank you, here is our draft.").count() == 1
