"""Background work: the e-mails of each step of a request (once each, through the
ledger), and the clock that reminds and offers elsewhere."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import BadHeaderError, send_mail
from django.template.loader import render_to_string
from django.utils import translation

from cooperation_hub.sites import PageAddresses, absolute_reverse
from cooperation_hub.text import elide


def exchange_email(notification) -> tuple[str, str] | None:
    """(subject, body) of one step's e-mail, in the recipient's language; None when
    nothing must be sent (no address, inactive account, no longer a participant).

    No e-mail address of the other side is ever written in it: the thread shows them."""
    parts = exchange_email_parts(notification)
    return None if parts is None else (parts[0], parts[1])


def exchange_email_parts(notification) -> tuple[str, str, str] | None:
    """(subject, text, HTML) of that e-mail: the HTML part in the layout of the sign-up
    and reply e-mails (templates/account/email/base_message.html), members' text escaped."""
    from accounts.adapter import layout_context
    from contributions.display_names import for_header

    from . import rules

    request = notification.request
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return None
    if recipient.pk not in rules.participant_ids(request) and notification.event != "withdrawn":
        return None  # handed over or offered elsewhere since: no longer theirs to answer
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language):
        from django.utils.translation import gettext as _

        entry = notification.message
        report = request.report if request.report_id and request.report.live else None
        context = {
            "recipient": recipient,
            "request": request,
            "event": notification.event,
            "entry": entry,
            "author": entry.author.public_name if entry and entry.author_id else "",
            "is_requester": recipient.pk == request.requester_id,
            "requesting_city": request.requesting_city_label,
            "target_city": request.target_city.name,
            "kind": request.get_kind_label(),
            # What the request is about, as the form asked it: the report and the working languages.
            "report": report,
            "report_url": PageAddresses()(report) if report else "",
            "languages": ", ".join(request.language_labels()),
            "url": absolute_reverse("exchanges:detail", language=language, kwargs={"pk": request.pk}),
            "list_url": absolute_reverse("exchanges:mine", language=language),
        }
        subjects = {
            "sent": _("%(city)s proposes an exchange to %(target)s"),
            "message": _("New message about the exchange between %(city)s and %(target)s"),
            "accepted": _("%(target)s accepted your exchange request"),
            "declined": _("%(target)s declined your exchange request"),
            "handed_over": _("An exchange request from %(city)s was handed over"),
            "reminded": _("Reminder: %(city)s is waiting for an answer from %(target)s"),
            "offered_elsewhere": _("An exchange request from %(city)s is offered to %(target)s"),
            "withdrawn": _("%(city)s withdrew its exchange request"),
        }
        subject = elide(  # "Une demande d’échange d’Annecy"
            subjects.get(notification.event, subjects["message"])
            % {"city": request.requesting_city_label, "target": request.target_city.name}
        )
        # Both parts in the layout of the sign-up e-mails: greeting and the site's signature.
        context.update(layout_context(recipient, language))
        body = render_to_string("exchanges/email/notification.txt", context)
        html = render_to_string("exchanges/email/notification.html", context)
    return for_header(subject), body, html


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_exchange(self, notification_id: int, token: str | None = None) -> bool:
    """Send one step's e-mail once; retried while the mail server refuses, then left
    failed with its last answer (admin: "Exchange e-mails"). A redelivered task finds
    its row no longer claimed and mails nobody (cooperation_hub/ledger.py); one carrying
    the ``token`` of a claim the catch-up sweep has since taken over mails nobody either."""
    from .models import ExchangeNotification

    delivery = (
        ExchangeNotification.objects.select_related(
            "request__target_city", "request__requesting_city", "request__report", "recipient", "message__author"
        )
        .filter(pk=notification_id)
        .first()
    )
    if delivery is None or delivery.state != ExchangeNotification.State.CLAIMED:
        return False
    if token is not None and str(delivery.claim_token) != token:
        return False  # re-claimed by recover_stale_notifications: its own task sends it
    message = exchange_email_parts(delivery)
    if message is None:
        delivery.mark_skipped()
        return False
    try:
        send_mail(message[0], message[1], None, [delivery.recipient.email], html_message=message[2])
    except BadHeaderError as exc:
        delivery.mark_failed(f"{type(exc).__name__}: {exc}", attempted=True)
        return False
    except OSError as exc:  # SMTP down or refusing
        error = f"{type(exc).__name__}: {exc}"
        if self.request.retries >= self.max_retries:
            delivery.mark_failed(error, attempted=True)
            return False
        delivery.note_error(error)
        raise self.retry(exc=exc) from exc
    delivery.mark_sent()
    return True


@shared_task(name="exchanges.run_clock")
def run_exchange_clock() -> dict[str, int]:
    """Beat's hourly tick: reminders after 7 days, offers elsewhere after 21 (exchanges/actions.py)."""
    from .actions import run_clock

    return run_clock()


def stale_after() -> timedelta:
    """How long an e-mail may stay claimed before its worker is presumed dead (EXCHANGE_EMAIL_STALE_MINUTES):
    far longer than the task's own retries (5 × 1 minute), far shorter than the broker's hour."""
    return timedelta(minutes=getattr(settings, "EXCHANGE_EMAIL_STALE_MINUTES", 30))


def recover_stale_notifications(older_than: timedelta | None = None, now: datetime | None = None) -> list[int]:
    """Re-claim the exchange e-mails left claimed longer than ``older_than`` (a worker that died
    holding them: Redis would hand the task to another worker only after its visibility timeout,
    an hour) under a new token, and queue each once after the commit. The dead worker's task,
    should the broker still redeliver it, carries the old token and mails nobody. The ids re-queued."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cooperation_hub.background import enqueue_on_commit

    from .models import ExchangeNotification

    now = now or timezone.now()
    older_than = stale_after() if older_than is None else older_than
    recovered = []
    with transaction.atomic():
        stale = ExchangeNotification.objects.filter(
            state=ExchangeNotification.State.CLAIMED, claimed_at__lt=now - older_than
        )
        if connection.features.has_select_for_update_skip_locked:
            stale = stale.select_for_update(skip_locked=True)  # two sweeps at once split the rows
        for pk in list(stale.order_by("id").values_list("id", flat=True)[:10_000]):
            token = uuid.uuid4()
            # Guarded: a row sent meanwhile is left alone; a row re-claimed is not stale again for a while.
            if ExchangeNotification.objects.filter(pk=pk, state=ExchangeNotification.State.CLAIMED).update(
                claim_token=token, claimed_at=now
            ):
                enqueue_on_commit(notify_exchange, pk, str(token))
                recovered.append(pk)
    return recovered


@shared_task(name="exchanges.recover_notifications")
def recover_exchange_notifications() -> int:
    """Beat's catch-up tick (every 15 minutes), like the digests': the e-mails a dead worker left behind."""
    return len(recover_stale_notifications())
