"""Subscriptions to the periodic digest, and the record of every digest delivered.

A subscription is keyed by its e-mail address (stored lower-cased, one per
address) so that subscribing twice updates, never duplicates. Nothing is sent
before ``confirmed_at`` is set by the double opt-in link.

``DigestDelivery`` is the exactly-once ledger: one row per subscription and
period, unique on (subscription, period_start), claimed *before* the e-mail is
handed to SMTP and confirmed after (the shape every delivery ledger shares:
``cooperation_hub.ledger.DeliveryLedger``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cooperation_hub.ledger import DeliveryLedger
from experiences.models import City, SustainableDevelopmentGoal, Theme


class Frequency(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> "SubscriptionQuerySet":
        """Confirmed, not paused, not unsubscribed: the ones that get digests."""
        return self.filter(confirmed_at__isnull=False, paused_at__isnull=True, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    email = models.EmailField(_("e-mail address"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="subscriptions"
    )
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"), related_name="+")
    sdgs = models.ManyToManyField(SustainableDevelopmentGoal, blank=True, verbose_name=_("SDGs"), related_name="+")
    # Free lists are stored as JSON: they are read whole, never joined on.
    tags = models.JSONField(_("tags"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    # Consultations are followed by Wagtail translation_key, so that following
    # one language's page follows its translations too.
    consultations = models.JSONField(_("followed consultations"), default=list, blank=True)
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("your city")
    )
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fr")
    nothing_new_note = models.BooleanField(_("send a short note when there is nothing new"), default=False)
    created_at = models.DateTimeField(pgettext_lazy("subscription", "created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    pause_reason = models.CharField(_("pause reason"), max_length=200, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["frequency", "confirmed_at"], name="subscription_due_idx")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return bool(self.confirmed_at and not self.paused_at and not self.unsubscribed_at)

    @property
    def state_label(self) -> str:
        if self.unsubscribed_at:
            return str(_("unsubscribed"))
        if self.paused_at:
            return str(_("paused"))
        if self.confirmed_at:
            return str(_("active"))
        return str(_("awaiting confirmation"))

    def save(self, *args, **kwargs) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class DigestDelivery(DeliveryLedger):
    """One digest of one subscription over one period (states and transitions:
    cooperation_hub.ledger; the batch claims: digests.claim)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))
    item_count = models.PositiveIntegerField(_("items"), default=0)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period_start"], name="one_digest_per_subscription_period"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period_start:%Y-%m-%d %H:%M} → {self.period_end:%Y-%m-%d %H:%M} ({self.state})"
