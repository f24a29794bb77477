"""Background work: telling authors that someone replied to them."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import BadHeaderError, send_mail
from django.template.loader import render_to_string
from django.utils import translation


def reply_email(reply) -> tuple[str, str] | None:
    """(subject, body) of the e-mail telling an author about a reply, in the
    author's language; None when nothing must be sent (opt-out, own reply,
    no address, hidden contribution or reply)."""
    from .models import Contribution, NotificationPreference

    contribution = reply.contribution
    author = contribution.author
    if reply.author_id == author.pk or not author.email or not author.is_active:
        return None
    if contribution.state != Contribution.State.PUBLISHED or reply.state != Contribution.State.PUBLISHED:
        return None
    if not NotificationPreference.wants_reply_emails(author):
        return None
    language = author.language or settings.LANGUAGE_CODE
    with translation.override(language):
        from django.utils.translation import gettext as _

        from .display_names import for_header
        from .sanitize import to_text

        context = {
            "author": author,
            "replier": reply.author.public_name,
            "contribution": contribution,
            "reply_text": to_text(reply.body),
            "url": settings.SITE_URL + contribution.get_url(language) + "#replies",
            "profile_url": f"{settings.SITE_URL}/{language}/accounts/profile/",
        }
        # Names and titles are members' text: never raw in a header.
        subject = for_header(_("%(name)s replied to your contribution “%(title)s”") % {
            "name": context["replier"], "title": contribution.title[:80],
        })
        body = render_to_string("contributions/email/reply_notification.txt", context)
    return subject, body


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_reply(self, reply_id: int) -> bool:
    """Send the reply e-mail once; retried while the mail server refuses or
    does not answer, then left in the failed state, visible in the admin
    ("Reply e-mails") with the server's last answer."""
    from .models import Reply

    reply = Reply.objects.select_related("contribution__author", "author", "contribution__consultation").filter(
        pk=reply_id
    ).first()
    if reply is None:
        return False
    if reply.notification == Reply.Notification.SENT:
        return False  # a message delivered twice (acks_late after a lost worker) mails once
    message = reply_email(reply)
    if message is None:
        _record(reply, Reply.Notification.SKIPPED)
        return False
    try:
        send_mail(message[0], message[1], None, [reply.contribution.author.email])
    except BadHeaderError as exc:  # will never pass, however often tried: failed at once
        _record(reply, Reply.Notification.FAILED, f"{type(exc).__name__}: {exc}")
        return False
    except OSError as exc:  # SMTP down or refusing (smtplib's errors are OSErrors)
        error = f"{type(exc).__name__}: {exc}"
        if self.request.retries >= self.max_retries:
            _record(reply, Reply.Notification.FAILED, error)
            return False
        _record(reply, Reply.Notification.PENDING, error)
        raise self.retry(exc=exc) from exc
    _record(reply, Reply.Notification.SENT)
    return True


def _record(reply, state: str, error: str = "") -> None:
    from django.db.models import F
    from django.utils import timezone

    from .models import Reply

    sent = state == Reply.Notification.SENT
    changes = {"notification": state, "notification_error": error[:2000] if error else reply.notification_error}
    if state != Reply.Notification.SKIPPED:
        changes["notification_attempts"] = F("notification_attempts") + 1
    if sent:
        changes["notified_at"] = timezone.now()
    Reply.objects.filter(pk=reply.pk).update(**changes)
