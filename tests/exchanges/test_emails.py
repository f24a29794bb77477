"""The e-mails of each step: to each participant, in their language, once, with
absolute links and no address of the other side."""

import pytest

from exchanges import actions
from exchanges.models import ExchangeNotification
from exchanges.tasks import notify_exchange

pytestmark = pytest.mark.django_db


def test_a_new_request_mails_the_citys_contacts_once_in_their_language(send, contact, colleague, mailoutbox, settings):
    settings.SITE_URL = "https://hub.example.org"
    exchange = send()
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {contact.email, colleague.email}
    french, english = by_address[contact.email], by_address[colleague.email]
    assert "propose un échange" in french.subject and "Bonjour" in french.body
    assert "proposes an exchange" in english.subject and "Hello" in english.body
    assert f"https://hub.example.org/fr/exchanges/{exchange.pk}/" in french.body
    assert f"https://hub.example.org/en/exchanges/{exchange.pk}/" in english.body
    assert exchange.requester.email not in french.body + english.body
    rows = ExchangeNotification.objects.filter(request=exchange)
    assert rows.count() == 2 and set(rows.values_list("state", flat=True)) == {"sent"}
    # A task delivered again (a lost worker) mails nobody.
    for row in rows:
        notify_exchange.apply(args=[row.pk])
    assert len(mailoutbox) == 2


def test_acceptance_and_messages_mail_the_other_side_only(
    send, requester, contact, mailoutbox, django_capture_on_commit_callbacks
):
    exchange = send()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.post_message(contact, exchange, "Bonjour, avec plaisir !")
    assert [m.to for m in mailoutbox] == [[requester.email]]
    assert "Bonjour, avec plaisir" in mailoutbox[0].body and "New message" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept(contact, exchange, consent=True)
    assert [m.to for m in mailoutbox[1:]] == [[requester.email]]
    assert "accepted your exchange request" in mailoutbox[1].subject
    assert contact.email not in mailoutbox[1].body  # the addresses are on the site, for participants


def test_decline_and_hand_over_tell_the_requester(
    send, requester, contact, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    exchange = send()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.hand_over(contact, exchange, colleague)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([colleague.email, requester.email])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.decline(colleague, exchange, reason="Not this year, sorry.")
    assert [m.to for m in mailoutbox] == [[requester.email]] and "Not this year, sorry." in mailoutbox[0].body


def test_a_refusing_mail_server_is_retried_then_left_failed(
    send, contact, settings, django_capture_on_commit_callbacks
):
    from tests.subscriptions.smtp import SMTPServer

    with SMTPServer() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        smtp.handler.refuse_always[contact.email] = "550 5.1.1 Mailbox unavailable"
        exchange = send()
        assert smtp.handler.messages == []
    row = ExchangeNotification.objects.get(request=exchange, recipient=contact)
    assert row.state == "failed" and row.attempts == notify_exchange.max_retries + 1
    assert "Mailbox unavailable" in row.last_error


def test_e_mails_a_dead_worker_left_behind_are_sent_by_the_catch_up_sweep_exactly_once(
    requester, home, target, report, contact, colleague, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """A worker killed while holding a request's e-mails: Redis hands its task on only after the
    visibility timeout (an hour), so the city's contacts heard of the request an hour late or never."""
    from datetime import timedelta

    from django.utils import timezone

    from exchanges.tasks import recover_stale_notifications

    # Sent, its e-mails claimed and queued, and no task ever runs (the test's transaction never
    # commits: what a worker that died holding them leaves behind).
    exchange = actions.send_request(
        requester, target_city=target, requesting_city=home, organisation="Ville de Cahors", role="Élue",
        kind="documents", message="Could you share your documents?", consent=True, report=report,
    )  # fmt: skip
    rows = ExchangeNotification.objects.filter(request=exchange)
    dead_tokens = {row.pk: str(row.claim_token) for row in rows}
    assert rows.count() == 2 and set(rows.values_list("state", flat=True)) == {"claimed"} and mailoutbox == []
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert recover_stale_notifications(now=now + timedelta(minutes=10)) == []  # maybe just slow
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert len(recover_stale_notifications(now=now + timedelta(minutes=31))) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([contact.email, colleague.email])
    assert set(rows.values_list("state", flat=True)) == {"sent"}

    # The next ticks find nothing; the dead worker's task, redelivered at last, mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        assert recover_stale_notifications(now=now + timedelta(hours=2)) == []
    for pk, token in dead_tokens.items():
        assert notify_exchange.apply(args=[pk, token]).result is False
    assert len(mailoutbox) == 2
    assert settings.CELERY_BEAT_SCHEDULE["exchanges-email-catch-up"]["task"] == "exchanges.recover_notifications"


def test_a_task_whose_claim_was_taken_over_mails_nobody(send, contact, mailoutbox):
    """The sweep re-claimed a row its first worker still held: only the sweep's task sends it."""
    import uuid

    from exchanges.tasks import recover_stale_notifications

    exchange = send()
    row = ExchangeNotification.objects.filter(request=exchange).first()
    ExchangeNotification.objects.filter(pk=row.pk).update(state="claimed", claim_token=uuid.uuid4())
    mailoutbox.clear()
    assert notify_exchange.apply(args=[row.pk, str(row.claim_token)]).result is False  # superseded
    assert mailoutbox == []
    assert recover_stale_notifications() == []  # freshly re-claimed: not stale
