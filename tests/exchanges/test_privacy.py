"""The GDPR export and erasure of accounts/privacy.py cover exchange threads."""

import pytest

from accounts.privacy import erase_member, export_member_data
from exchanges import actions
from exchanges.models import ExchangeMessage, ExchangeRequest

pytestmark = pytest.mark.django_db


def test_the_export_has_the_members_requests_and_own_messages_only(send, requester, contact):
    exchange = send()
    actions.post_message(contact, exchange, "Réponse du contact, ses données à lui.")
    actions.post_message(requester, exchange, "My own follow-up.")
    data = export_member_data(requester)["exchanges"]
    assert [r["id"] for r in data["requests_sent"]] == [exchange.pk]
    assert data["requests_sent"][0]["message"] == exchange.message
    texts = [m["text"] for m in data["messages"]]
    assert "My own follow-up." in texts and "Réponse du contact, ses données à lui." not in texts
    assert export_member_data(contact)["exchanges"]["city_contact_for"][0]["verified"] is True


def test_erasing_the_requester_deletes_their_requests_and_threads(send, requester):
    exchange = send()
    erase_member(requester)
    assert not ExchangeRequest.objects.filter(pk=exchange.pk).exists()
    assert not ExchangeMessage.objects.filter(request_id=exchange.pk).exists()


def test_erasing_a_contact_keeps_the_thread_readable_for_the_requester(client, send, requester, contact):
    exchange = send()
    actions.post_message(contact, exchange, "Avec plaisir.")
    erase_member(contact)
    message = ExchangeMessage.objects.get(request=exchange, body="Avec plaisir.")
    assert message.author.is_former_participant
    client.force_login(requester)
    html = client.get(f"/en/exchanges/{exchange.pk}/").content.decode()
    assert "Avec plaisir." in html and "Former participant" in html
