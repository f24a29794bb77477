"""Rate limits per account and per address, the honeypot, length limits and
CSRF: every refusal a clear message, never a 500, never the text lost."""

import pytest
from django.test import Client

from contributions import ratelimit
from contributions.models import Contribution, Reply

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db


def _data(i=0, **extra):
    data = {"title": f"Idée numéro {i}", "body": f"Un texte suffisamment long, numéro {i}.", "tags": "", "website": ""}
    data.update(extra)
    return data


def test_an_account_going_too_fast_is_stopped_with_its_text_kept(client, consultation, member, settings):
    settings.CONTRIBUTIONS_RATE_LIMITS = {"contribute": (2, 600)}
    client.force_login(member)
    assert client.post(consultation.url, _data(1)).status_code == 302
    assert client.post(consultation.url, _data(2)).status_code == 302
    third = client.post(consultation.url, _data(3))
    assert third.status_code == 429
    html = third.content.decode()
    assert "Vous allez trop vite" in html and "Un texte suffisamment long, numéro 3." in html
    assert Contribution.objects.filter(consultation=consultation).count() == 2


def test_an_address_is_limited_across_accounts(rf, settings):
    settings.CONTRIBUTIONS_RATE_LIMITS = {"reply": (1, 600)}
    allowed = []
    for i in range(ratelimit.IP_FACTOR + 1):
        request = rf.post("/", REMOTE_ADDR="203.0.113.7")
        request.user = make_member(f"ip{i}")
        allowed.append(ratelimit.allow("reply", request, now=1000.0))
    assert allowed == [True] * ratelimit.IP_FACTOR + [False]
    other = rf.post("/", REMOTE_ADDR="203.0.113.8")
    other.user = make_member("elsewhere")
    assert ratelimit.allow("reply", other, now=1000.0)


def test_the_limit_resets_with_the_next_window(rf, member, settings):
    settings.CONTRIBUTIONS_RATE_LIMITS = {"report": (1, 60)}
    request = rf.post("/", REMOTE_ADDR="198.51.100.1")
    request.user = member
    assert ratelimit.allow("report", request, now=120.0)
    assert not ratelimit.allow("report", request, now=150.0)
    assert ratelimit.allow("report", request, now=181.0)


def test_replies_are_rate_limited_too(client, consultation, member, other_member, settings):
    settings.CONTRIBUTIONS_RATE_LIMITS = {"reply": (1, 600)}
    c = make_contribution(consultation, member)
    client.force_login(other_member)
    client.post(f"{c.url}reply/", {"body": "Première", "website": ""})
    second = client.post(f"{c.url}reply/", {"body": "Seconde réponse gardée", "website": ""})
    assert second.status_code == 429 and "Seconde réponse gardée" in second.content.decode()
    assert Reply.objects.filter(contribution=c).count() == 1


def test_the_honeypot_refuses_bots_with_a_message(client, consultation, member):
    client.force_login(member)
    response = client.post(consultation.url, _data(website="http://spam.example"))
    assert response.status_code == 400
    assert "laissez le dernier champ vide" in response.content.decode()
    assert not Contribution.objects.filter(consultation=consultation).exists()


def test_length_limits_are_explained(client, consultation, member):
    client.force_login(member)
    response = client.post(
        consultation.url, _data(title="T" * 201, body="x" * 10_001, tags=", ".join(f"t{i}" for i in range(9)))
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "200 caractères" in html
        and "10000" in html.replace("\u202f", "").replace(" ", "")
        and "8 mots-clés au plus" in html
    )
    assert not Contribution.objects.filter(consultation=consultation).exists()


def test_csrf_is_enforced_on_contributions(consultation, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(consultation.url, _data())
    assert response.status_code == 403
    assert not Contribution.objects.filter(consultation=consultation).exists()


def test_garbage_input_never_gives_a_500(client, consultation, member):
    c = make_contribution(consultation, member)
    client.force_login(make_member("garbage"))
    for url, data in [
        (consultation.url, {"section": "not-a-number", "title": "x" * 3, "body": "\x00" * 30}),
        (consultation.url + "?page=abc&sort=%00", {}),
        (f"{c.url}support/", {"supported": "maybe"}),
        (f"{c.url}reply/", {}),
        (f"{c.url}report/", {"reason": ""}),
    ]:
        assert client.post(url, data).status_code < 500
    assert client.get(consultation.url + "?page=abc&sort=zzz&tag=%ff&section=..").status_code == 200
