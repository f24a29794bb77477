"""The subscription form served from the anonymous page cache still works:
each visitor gets a CSRF token of their own."""

import pytest
from django.test import Client

from subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


def _token(html: str) -> str:
    return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_the_subscription_form_posted_from_a_cached_page_is_accepted(demo):
    first_visitor, second_visitor = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    assert first_visitor.get("/en/subscribe/")["X-Page-Cache"] == "miss"
    cached = second_visitor.get("/en/subscribe/")
    assert cached["X-Page-Cache"] == "hit"
    assert second_visitor.cookies["csrftoken"].value != first_visitor.cookies["csrftoken"].value
    data = {
        "email": "cached-form@example.org",
        "frequency": "weekly",
        "language": "en",
        "themes": [],
        "csrfmiddlewaretoken": _token(cached.content.decode()),
    }
    response = second_visitor.post("/en/subscribe/", data)
    assert response.status_code == 302, response.content[:300]
    assert Subscription.objects.filter(email="cached-form@example.org").exists()


def test_a_token_from_another_visitor_s_page_is_refused(demo):
    first_visitor, second_visitor = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token = _token(first_visitor.get("/en/subscribe/").content.decode())
    second_visitor.get("/en/subscribe/")
    data = {"email": "stolen-token@example.org", "frequency": "weekly", "language": "en", "csrfmiddlewaretoken": token}
    assert second_visitor.post("/en/subscribe/", data).status_code == 403
