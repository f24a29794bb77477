"""Who sees a thread, who answers, and when addresses are shown: through the pages."""

import re

import pytest

from exchanges import actions

from .conftest import make_contact

pytestmark = pytest.mark.django_db


def _page(client, user, exchange, lang="en"):
    client.force_login(user)
    return client.get(f"/{lang}/exchanges/{exchange.pk}/")


def test_nobody_sees_a_thread_they_are_not_part_of(client, send, outsider, home, admin_user):
    exchange = send()
    other_city_contact = make_contact(home, "home-contact")
    for user in (outsider, other_city_contact, admin_user):
        response = _page(client, user, exchange)
        assert response.status_code == 404
    client.logout()
    response = client.get(f"/en/exchanges/{exchange.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_participants_see_the_thread(client, send, requester, contact):
    exchange = send()
    for user in (requester, contact):
        response = _page(client, user, exchange)
        assert response.status_code == 200
        assert "Could we have a video call about your project?" in response.content.decode()


def test_addresses_stay_hidden_until_acceptance(client, send, requester, contact):
    exchange = send()
    for user in (requester, contact):
        page = _page(client, user, exchange).content.decode()
        assert requester.email not in page and contact.email not in page
    client.force_login(contact)
    response = client.post(f"/en/exchanges/{exchange.pk}/", {"action": "accept", "consent": "on"})
    assert response.status_code == 302
    for user in (requester, contact):
        page = _page(client, user, exchange).content.decode()
        assert requester.email in page and contact.email in page


def test_a_colleague_who_was_not_asked_sees_nothing_after_a_hand_over_to_someone_else(
    client, send, contact, colleague, target
):
    third = make_contact(target, "third")
    exchange = send()
    actions.hand_over(contact, exchange, colleague)
    assert _page(client, third, exchange).status_code == 404
    assert _page(client, colleague, exchange).status_code == 200


def test_only_the_citys_contacts_answer(client, send, requester, outsider, contact):
    exchange = send()
    # The requester sees the thread, not the answer forms, and a forged answer is refused.
    page = _page(client, requester, exchange).content.decode()
    assert 'value="accept"' not in page
    response = client.post(f"/en/exchanges/{exchange.pk}/", {"action": "accept", "consent": "on"})
    assert response.status_code == 403
    exchange.refresh_from_db()
    assert exchange.state == "sent"
    client.force_login(outsider)
    assert client.post(f"/en/exchanges/{exchange.pk}/", {"action": "accept", "consent": "on"}).status_code == 404
    exchange.refresh_from_db()
    assert exchange.state == "sent"
    page = _page(client, contact, exchange).content.decode()
    assert 'value="accept"' in page and 'value="decline"' in page


def test_my_exchanges_lists_sent_and_received(client, send, requester, contact, outsider):
    exchange = send()
    for user in (requester, contact):
        client.force_login(user)
        page = client.get("/en/exchanges/").content.decode()
        assert f"/en/exchanges/{exchange.pk}/" in page
    client.force_login(outsider)
    assert f"/en/exchanges/{exchange.pk}/" not in client.get("/en/exchanges/").content.decode()


def test_the_thread_replies_and_decisions_in_french(client, send, requester, contact):
    exchange = send()
    client.force_login(contact)
    response = client.post(f"/fr/exchanges/{exchange.pk}/", {"action": "reply", "body": "Bonjour, avec plaisir."})
    assert response.status_code == 302
    response = client.post(f"/fr/exchanges/{exchange.pk}/", {"action": "decline", "reason": "Pas cette année."})
    assert response.status_code == 302
    page = client.get(f"/fr/exchanges/{exchange.pk}/").content.decode()
    assert "Bonjour, avec plaisir." in page and "Pas cette année." in page and "refusée" in page


@pytest.mark.parametrize(
    "lang, title, why",
    [
        ("en", "Sign in", "The page you asked for is open to the network's members"),
        ("fr", "Se connecter", "La page demandée est réservée aux membres du réseau"),
    ],
)
def test_a_reader_sent_to_sign_in_is_told_why(client, lang, title, why):
    """Walked from a digest: "Propose an exchange" led a signed-out reader to a bare "Sign In" page
    (allauth's capitals, beside the header's "Sign in"), with no word of why."""
    response = client.get(f"/{lang}/exchanges/propose/", follow=True)
    html = response.content.decode().replace("&#x27;", "'")
    squeezed = re.sub(r">\s+|\s+<", lambda m: m.group().strip(), html)
    assert response.status_code == 200 and f"<h1>{title}</h1>" in squeezed
    assert why in html
    assert "Sign In" not in html
    plain = client.get(f"/{lang}/accounts/login/").content.decode().replace("&#x27;", "'")
    assert why not in plain
