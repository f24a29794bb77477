"""Exchange e-mails through a real Celery worker (subprocess) on Redis, into a real
SMTP server on loopback, against PostgreSQL: a city contact is told about a new
request exactly once, even when the worker is SIGKILLed in the middle of sending it.
Skipped locally without the services, failed in CI (tests/services.py); runs in the
services pass of `make test`, like tests/subscriptions/test_with_worker.py."""

import time

import pytest

from exchanges import actions
from exchanges.models import ExchangeNotification
from exchanges.tasks import notify_exchange
from experiences.models import City
from tests.services import wait_until

from .conftest import make_contact, make_member

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.slow,
]


@pytest.fixture
def worker_env():
    # A broker that hands a dead worker's task to the next one after seconds (worker_settings.py).
    return {"DJANGO_SETTINGS_MODULE": "tests.exchanges.worker_settings"}


def test_a_request_mails_each_contact_exactly_once_when_the_worker_is_killed_mid_send(worker_services):
    smtp, start_worker = worker_services
    home = City.objects.create(name="Cahors-W", country="FR")
    target = City.objects.create(name="Da Nang-W", country="VN")
    contacts = [make_contact(target, "contact", language="fr"), make_contact(target, "colleague", language="en")]
    requester = make_member("requester", language="en", city=home.name)

    # Each RCPT takes seconds: the worker is killed inside the SMTP transaction, before DATA.
    smtp.handler.rcpt_delay = 3
    smtp.handler.rcpt_started.clear()
    first = start_worker()
    exchange = actions.send_request(
        requester,
        target_city=target,
        requesting_city=home,
        organisation="Ville de Cahors",
        role="Chargée de mission",
        kind="video-call",
        message="Could we have a video call about your project?",
        consent=True,
        languages=["fr", "en"],
    )
    rows = ExchangeNotification.objects.filter(request=exchange)
    assert rows.count() == len(contacts)
    assert smtp.handler.rcpt_started.wait(30), "the worker never reached the mail server"
    first.kill()
    assert smtp.handler.messages == []  # the e-mail being sent was not accepted
    assert rows.filter(state="claimed").count() == len(contacts)

    # The broker hands the dead worker's unacknowledged tasks to the next worker (acks_late).
    smtp.handler.rcpt_delay = 0
    start_worker()
    wait_until(lambda: set(rows.values_list("state", flat=True)) == {"sent"}, what="both e-mails sent")
    # A task delivered once more (the broker restoring it again) finds its row sent and mails nobody.
    for row in rows:
        notify_exchange.delay(row.pk).get(timeout=30)
    time.sleep(2)  # a duplicate would arrive now
    counts = {contact.email: len(smtp.handler.to(contact.email)) for contact in contacts}
    assert counts == {contact.email: 1 for contact in contacts}
    french = smtp.handler.to(contacts[0].email)[0]
    assert "propose un échange" in french["Subject"]
    assert requester.email not in french.get_body(("plain",)).get_content()
    assert set(rows.values_list("attempts", flat=True)) == {1}
