"""A password-protected report is neither announced by the digests nor counted
in peer matching: its city drops out of the peers of others (issue #11, item 3)."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from experiences.models import City, ExperiencePage
from subscriptions import matching
from tests.privacy import ENGLISH_TITLE, PRIVATE_REPORT, make_report_private

from .helpers import subscriber

pytestmark = pytest.mark.django_db
T0 = datetime(2031, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
NEIGHBOUR = "chefchaouen-market-composting"  # same themes; Curitiba is among Chefchaouen's peers
NEIGHBOUR_TITLE = "Chefchaouen: composting market waste for the town's green spaces"


def _published_yesterday(*external_ids: str) -> None:
    at = T0 - timedelta(days=1)
    ExperiencePage.objects.filter(external_id__in=external_ids).update(first_published_at=at, last_published_at=at)


def _digest_to(email: str, mailoutbox) -> str:
    call_command("send_digests", frequency="daily", now=T0.isoformat(), stdout=StringIO(), verbosity=0)
    (message,) = [m for m in mailoutbox if m.to == [email]]
    return message.body


def test_a_private_report_is_not_in_a_digest(demo, mailoutbox):
    _published_yesterday(PRIVATE_REPORT, NEIGHBOUR)
    chefchaouen = City.objects.get(name="Chefchaouen")
    reader = subscriber(
        "reader@example.org",
        confirmed_at=T0 - timedelta(days=5),
        themes=["food-consumption"],
        language="en",
        frequency="daily",
        city=chefchaouen,
    )
    make_report_private()
    body = _digest_to(reader.email, mailoutbox)
    assert NEIGHBOUR_TITLE in body  # the public one is announced
    assert ENGLISH_TITLE not in body and "Curitiba" not in body  # neither the report nor its city as a peer


def test_a_digest_announced_it_while_it_was_public(demo, mailoutbox):
    _published_yesterday(PRIVATE_REPORT, NEIGHBOUR)
    reader = subscriber(
        "reader@example.org",
        confirmed_at=T0 - timedelta(days=5),
        themes=["food-consumption"],
        language="en",
        frequency="daily",
        city=City.objects.get(name="Chefchaouen"),
    )
    body = _digest_to(reader.email, mailoutbox)
    assert ENGLISH_TITLE in body and NEIGHBOUR_TITLE in body


def test_a_city_known_only_by_a_private_report_is_nobody_s_peer(client, demo):
    curitiba = City.objects.get(name="Curitiba")
    peers_page = "/en/cities/chefchaouen-ma/peers/"
    assert curitiba.pk in matching.load_corpus().cities
    assert "Curitiba" in client.get(peers_page).content.decode()
    make_report_private()
    assert curitiba.pk not in matching.load_corpus().cities
    response = client.get(peers_page)
    assert response.status_code == 200 and "Curitiba" not in response.content.decode()
