"""Background work: telling authors that someone replied to them."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import BadHeaderError, send_mail
from django.template.loader import render_to_string
from django.utils import translation

from cooperation_hub.sites import absolute_reverse, absolute_url


def reply_email(reply) -> tuple[str, str] | None:
    """(subject, body) of the e-mail telling an author about a reply, in the
    author's language; None when nothing must be sent (opt-out, own reply,
    no address, hidden contribution or reply)."""
    parts = reply_email_parts(reply)
    return None if parts is None else (parts[0], parts[1])


def reply_email_parts(reply) -> tuple[str, str, str] | None:
    """(subject, text, HTML) of that e-mail: the HTML part in the layout of the
    sign-up e-mails (templates/account/email/), so that the site's mail looks like one site's."""
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
            "url": absolute_url(contribution.get_url(language) + "#replies"),
            "profile_url": absolute_reverse("contributions:profile", language=language),
        }
        # Names and titles are members' text: never raw in a header.
        subject = for_header(
            _("%(name)s replied to your contribution “%(title)s”")
            % {
                "name": context["replier"],
                "title": contribution.title[:80],
            }
        )
        from accounts.adapter import layout_context

        # Both parts in the site's layout: the same greeting and signature as its other e-mails.
        context.update(layout_context(author, language))
        body = render_to_string("contributions/email/reply_notification.txt", context)
        html = render_to_string("contributions/email/reply_notification.html", context)
    return subject, body, html


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_reply(self, reply_id: int) -> bool:
    """Send the reply e-mail once; retried while the mail server refuses or
    does not answer, then left in the failed state, visible in the admin
    ("Reply e-mails") with the server's last answer. The ledger row
    (``ReplyNotification``) makes a redelivered message mail nobody."""
    from .models import ReplyNotification

    delivery = (
        ReplyNotification.objects.select_related(
            "reply__contribution__author", "reply__author", "reply__contribution__consultation"
        )
        .filter(reply_id=reply_id)
        .first()
    )
    if delivery is None or delivery.state != ReplyNotification.State.CLAIMED:
        return False  # nothing to tell, or already sent / skipped / given up
    reply = delivery.reply
    message = reply_email_parts(reply)
    if message is None:
        delivery.mark_skipped()
        return False
    try:
        send_mail(message[0], message[1], None, [reply.contribution.author.email], html_message=message[2])
    except BadHeaderError as exc:  # will never pass, however often tried: failed at once
        delivery.mark_failed(f"{type(exc).__name__}: {exc}", attempted=True)
        return False
    except OSError as exc:  # SMTP down or refusing (smtplib's errors are OSErrors)
        error = f"{type(exc).__name__}: {exc}"
        if self.request.retries >= self.max_retries:
            delivery.mark_failed(error, attempted=True)
            return False
        delivery.note_error(error)
        raise self.retry(exc=exc) from exc
    delivery.mark_sent()
    return True
