"""The subscription form and its signed links take any input without a server
error: a clear 4xx, nothing stored half-way, and nothing executable echoed."""

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from subscriptions.models import Subscription
from tests.hostile import (
    HOSTILE,
    any_hostile_text,
    control_text,
    executable_markup,
    invalid_utf8,
    script_text,
    too_long,
)

pytestmark = pytest.mark.django_db


@given(
    email=st.one_of(any_hostile_text, too_long(254).map(lambda s: s + "@example.org")),
    tags=any_hostile_text,
    countries=any_hostile_text,
    frequency=st.one_of(any_hostile_text, st.just("weekly")),
)
@HOSTILE
def test_a_hostile_subscription_is_refused_or_stored_whole(client, demo, email, tags, countries, frequency):
    cache.clear()
    before = Subscription.objects.count()
    response = client.post(
        "/fr/subscribe/",
        {
            "email": email,
            "tags": tags,
            "countries": countries,
            "frequency": frequency,
            "language": "fr",
            "themes": ["abc", "-1"],
        },
    )
    assert response.status_code in (302, 400)
    assert Subscription.objects.count() in (before, before + 1)
    if response.status_code == 400:
        assert Subscription.objects.count() == before
        assert executable_markup(response.content.decode()) == []


@given(token=st.one_of(script_text, control_text, any_hostile_text, too_long(500)))
@HOSTILE
def test_a_forged_token_of_any_shape_gets_a_clear_4xx(client, demo, token):
    for kind in ("confirm", "manage", "unsubscribe"):
        response = client.get(f"/fr/subscriptions/{kind}/{token.replace('/', '_')}/")
        assert response.status_code in (400, 404, 410), (kind, response.status_code)
        assert client.post(f"/fr/subscriptions/{kind}/{token.replace('/', '_')}/").status_code in (400, 403, 404, 410)


@given(raw=invalid_utf8)
@HOSTILE
def test_invalid_utf8_in_the_subscription_form_is_no_server_error(client, demo, raw):
    before = Subscription.objects.count()
    body = b"email=a" + raw + b"%40example.org&frequency=weekly&language=fr&tags=" + raw
    response = client.post("/fr/subscribe/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    assert Subscription.objects.count() <= before + 1


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[]",
        b'{"RecordType": ',
        b"\xff\xfe",
        b"null",
        b'{"RecordType": "Bounce", "Email": ["a", "b"]}',
        b'"x"' * 1000,
    ],
)
def test_malformed_json_to_the_bounce_webhook_is_a_4xx_and_pauses_nothing(client, demo, settings, body):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "user:secret"}
    active = Subscription.objects.active().count()
    response = client.post(
        "/anymail/postmark/tracking/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic dXNlcjpzZWNyZXQ=",
    )
    assert 400 <= response.status_code < 500 or response.status_code == 200
    assert Subscription.objects.active().count() == active


def test_the_bounce_webhook_refuses_a_caller_without_the_secret(client, demo, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "user:secret"}
    response = client.post("/anymail/postmark/tracking/", b'{"RecordType": "Bounce"}', content_type="application/json")
    assert response.status_code in (400, 401, 403)
