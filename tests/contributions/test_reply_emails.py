"""The e-mail telling an author about a reply: sent once, and when the mail
server refuses it, retried and then left failed where an operator sees it."""

import pytest

from contributions import actions
from contributions.models import Reply, ReplyNotification
from contributions.tasks import notify_reply
from tests.subscriptions.smtp import SMTPServer

from .conftest import make_contribution

pytestmark = pytest.mark.django_db


def _reply(consultation, author, replier, django_capture_on_commit_callbacks) -> Reply:
    contribution = make_contribution(consultation, author, title="Des écoles jumelées")
    with django_capture_on_commit_callbacks(execute=True):  # the task runs inline in tests
        reply = actions.add_reply(replier, contribution, "<p>Nous aimerions en parler.</p>")
    reply.refresh_from_db()
    return reply


def test_a_reply_email_is_recorded_as_sent_and_never_sent_twice(
    consultation, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    reply = _reply(consultation, member, other_member, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    assert (reply.notification.state, reply.notification.attempts) == ("sent", 1) and reply.notification.sent_at
    # The same message delivered again (a worker lost before its acknowledgement) mails nobody.
    notify_reply.apply(args=[reply.pk])
    assert len(mailoutbox) == 1


def test_replying_to_oneself_queues_no_email(consultation, member, mailoutbox, django_capture_on_commit_callbacks):
    reply = _reply(consultation, member, member, django_capture_on_commit_callbacks)
    assert not ReplyNotification.objects.filter(reply=reply).exists() and mailoutbox == []


def test_a_refusing_mail_server_leaves_the_email_failed_and_visible_in_the_admin(
    client, settings, consultation, member, other_member, django_capture_on_commit_callbacks, admin_user
):
    with SMTPServer() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        smtp.handler.refuse_always[member.email] = "550 5.1.1 Mailbox unavailable"
        reply = _reply(consultation, member, other_member, django_capture_on_commit_callbacks)
        assert smtp.handler.messages == []
    assert reply.notification.state == "failed"
    assert reply.notification.attempts == notify_reply.max_retries + 1
    assert "Mailbox unavailable" in reply.notification.last_error
    client.force_login(admin_user)
    listing = client.get("/admin/reply_emails/?state=failed").content.decode()
    assert "Des écoles jumelées" in listing and "Mailbox unavailable" in listing
