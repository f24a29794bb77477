"""Walked as a subscriber: the manage page offered to unsubscribe but not to pause (a pause
existed only for bounced addresses). A subscriber pauses, gets no digest, and resumes."""

import pytest
from django.conf import settings

from subscriptions import services, tokens
from subscriptions.models import Subscription

from .helpers import subscriber

pytestmark = pytest.mark.django_db


def test_a_subscriber_pauses_from_the_manage_link_and_resumes(client):
    sub = subscriber("pause@example.org", language="fr")
    url = tokens.manage_url(sub, "fr").removeprefix(settings.SITE_URL)
    page = client.get(url).content.decode()
    assert "Mettre ma lettre en pause" in page
    response = client.post(url, {"action": "pause"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vous avez mis votre lettre en pause" in html and "Reprendre ma lettre" in html
    assert "could not be delivered" not in html and "n'ont pas pu être" not in html
    sub.refresh_from_db()
    assert sub.paused_at is not None and not Subscription.objects.filter(pk=sub.pk).active().exists()
    client.post(url, {"action": "resume"})
    sub.refresh_from_db()
    assert sub.paused_at is None and sub.is_active


def test_a_bounced_address_still_says_why_it_is_paused(client):
    sub = subscriber("bounced@example.org", language="fr")
    services.pause(sub, "550 mailbox unavailable")
    url = tokens.manage_url(sub, "fr").removeprefix(settings.SITE_URL)
    html = client.get(url).content.decode()
    assert "Vous avez mis votre lettre en pause" not in html and "Mettre ma lettre en pause" not in html
