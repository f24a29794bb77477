"""Exchange requests between cities: who answers for a city, the requests, their
threads, the e-mails they send and what keeps the feature from being abused.

A request's life (the rules in rules.py, the changes in actions.py)::

    sent ──► accepted | declined (reason) | withdrawn          (final)
      │
      ├─► handed over (to a colleague contact of the same city)  ─┐
      ├─► reminded (7 days without an answer)                      ├─ still awaiting an answer
      └─► offered elsewhere (21 days: another contact or a         ─┘
          comparable city)

Nobody's e-mail address is shown to the other side before acceptance, and only
to the request's participants.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cooperation_hub.ledger import DeliveryLedger
from experiences.models import City, ExperiencePage, Theme

# Languages a city can hold an exchange in: the site's two and those of the network's partners.
EXCHANGE_LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("es", "Español"),
    ("pt", "Português"),
    ("ar", "العربية"),
    ("de", "Deutsch"),
]


class CityContact(models.Model):
    """A member who answers exchange requests for a city, linked by an administrator.

    Only verified links count: a member cannot make themselves a city's voice."""

    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="exchange_contacts")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="city_contacts"
    )
    role = models.CharField(_("role"), max_length=160, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("city contact")
        verbose_name_plural = _("city contacts")
        ordering = ["city__name", "member__username"]
        constraints = [models.UniqueConstraint(fields=["city", "member"], name="one_contact_link_per_city")]

    def __str__(self) -> str:
        return f"{self.member.public_name} — {self.city.name}"

    def save(self, *args, **kwargs) -> None:
        # When the box was ticked is kept; unticking forgets who vouched.
        if self.verified and self.verified_at is None:
            self.verified_at = timezone.now()
        elif not self.verified:
            self.verified_at, self.verified_by = None, None
        super().save(*args, **kwargs)


class ExchangeRequest(models.Model):
    class Kind(models.TextChoices):
        DOCUMENTS = "documents", _("documents")
        VIDEO_CALL = "video-call", _("video call")
        STUDY_VISIT = "study-visit", _("study visit")
        STAFF_EXCHANGE = "staff-exchange", _("staff exchange")
        SCHOOL_TWINNING = "school-twinning", _("school twinning")

    class State(models.TextChoices):
        SENT = "sent", pgettext_lazy("exchange request", "sent")
        REMINDED = "reminded", pgettext_lazy("exchange request", "reminded")
        HANDED_OVER = "handed_over", pgettext_lazy("exchange request", "handed over")
        OFFERED_ELSEWHERE = "offered_elsewhere", pgettext_lazy("exchange request", "offered elsewhere")
        ACCEPTED = "accepted", pgettext_lazy("exchange request", "accepted")
        DECLINED = "declined", pgettext_lazy("exchange request", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("exchange request", "withdrawn")

    OPEN_STATES = (State.SENT, State.REMINDED, State.HANDED_OVER, State.OFFERED_ELSEWHERE)

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.CASCADE,
        related_name="exchange_requests",
    )
    # The requesting city: one of the network's, or named here when it is not one yet.
    requesting_city = models.ForeignKey(
        City, verbose_name=_("requesting city"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requesting_city_name = models.CharField(_("new city"), max_length=120, blank=True)
    requesting_country = models.CharField(_("country of the new city"), max_length=2, blank=True)
    organisation = models.CharField(_("organisation"), max_length=160)
    role = models.CharField(_("role"), max_length=160)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    report = models.ForeignKey(
        ExperiencePage,
        verbose_name=_("report concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_requests",
    )
    target_city = models.ForeignKey(
        City, verbose_name=_("city asked"), on_delete=models.PROTECT, related_name="exchange_requests_received"
    )
    # The city first asked, when the request was offered to a comparable city after 21 days.
    original_city = models.ForeignKey(
        City, verbose_name=_("city first asked"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind of exchange"), max_length=20, choices=Kind.choices)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    message = models.TextField(_("message"), max_length=4000)

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SENT, db_index=True)
    # Set by a hand-over or an offer to another contact: then only this member answers.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_requests_assigned",
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # Consent to share one's contact details, recorded on each side.
    requester_consent_at = models.DateTimeField(_("requester's consent"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_consent_at = models.DateTimeField(_("contact's consent"), null=True, blank=True)

    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Since when the city's side owes an answer: reset by a hand-over or an offer elsewhere.
    awaiting_since = models.DateTimeField(_("awaiting an answer since"), default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered elsewhere at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # What an accepted exchange became ("Make it a partnership").
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_requests",
    )
    # The form's one-time token: the same form posted again gets this request back (cooperation_hub/once.py).
    submission_token = models.UUIDField(null=True, blank=True, editable=False)
    SUBMISSION_AUTHOR_FIELD = "requester"

    class Meta:
        verbose_name = _("exchange request")
        verbose_name_plural = _("exchange requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "submission_token"], name="exchange_request_submitted_once")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.requesting_city_label} → {self.target_city.name} ({self.get_state_display()})"

    @property
    def requesting_city_label(self) -> str:
        if self.requesting_city:  # None without a query when no city is linked
            return self.requesting_city.name
        return (
            f"{self.requesting_city_name} ({self.requesting_country})"
            if self.requesting_country
            else (self.requesting_city_name)
        )

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def get_kind_label(self) -> str:
        return str(self.Kind(self.kind).label) if self.kind in self.Kind.values else self.kind

    def language_labels(self) -> list[str]:
        names = dict(EXCHANGE_LANGUAGES)
        return [names.get(code, code) for code in self.languages or []]


class ExchangeMessage(models.Model):
    """One entry of a request's thread: a member's message, or what happened (an event)."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("message")
        EVENT = "event", _("event")

    request = models.ForeignKey(ExchangeRequest, on_delete=models.CASCADE, related_name="messages")
    # Empty for events the site wrote itself (a reminder, an offer elsewhere).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchange_messages"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.MESSAGE)
    event = models.CharField(max_length=20, blank=True)  # the state it records, for events
    body = models.TextField(_("message"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    submission_token = models.UUIDField(null=True, blank=True, editable=False)  # cooperation_hub/once.py

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("exchange message")
        verbose_name_plural = _("exchange messages")
        constraints = [
            models.UniqueConstraint(fields=["author", "submission_token"], name="exchange_message_submitted_once")
        ]

    def __str__(self) -> str:
        return f"#{self.request_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class ExchangeNotification(DeliveryLedger):
    """One e-mail about one step of a request, to one participant, sent once
    (states: cooperation_hub.ledger; sending: tasks.notify_exchange)."""

    request = models.ForeignKey(ExchangeRequest, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("event"), max_length=20)
    # What makes the step unique (the event, a message's id…): the same step never mails twice.
    key = models.CharField(max_length=60)
    message = models.ForeignKey(ExchangeMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["-claimed_at", "-id"]
        verbose_name = _("exchange e-mail")
        verbose_name_plural = _("exchange e-mails")
        constraints = [
            models.UniqueConstraint(fields=["request", "recipient", "key"], name="one_exchange_email_per_step")
        ]

    def __str__(self) -> str:
        return f"#{self.request_id} {self.event} → {self.recipient_id} ({self.state})"


class ExchangeReport(models.Model):
    """A participant's report to the moderators that a request or its thread breaks the rules."""

    request = models.ForeignKey(ExchangeRequest, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reported exchange")
        verbose_name_plural = _("reported exchanges")
        constraints = [models.UniqueConstraint(fields=["request", "reporter"], name="one_exchange_report_per_member")]

    def __str__(self) -> str:
        return f"#{self.request_id}: {self.reason[:60]}"


class ExchangeBlock(models.Model):
    """A requester a city no longer hears from (set by one of its contacts)."""

    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("blocked member"), on_delete=models.CASCADE, related_name="+"
    )
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("blocked at"), default=timezone.now)

    class Meta:
        verbose_name = _("blocked requester")
        verbose_name_plural = _("blocked requesters")
        constraints = [models.UniqueConstraint(fields=["city", "member"], name="one_block_per_city")]

    def __str__(self) -> str:
        return f"{self.member_id} ✕ {self.city.name}"
