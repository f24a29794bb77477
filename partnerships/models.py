"""Partnerships between cities of the network, as data.

A partnership joins two or more cities (``PartnershipCity`` rows, each with its role)
on themes and SDGs, with a kind, dates, a status, the reports it produced and optional
public facts (budget, co-funding source). Its region pair (north-south, south-south,
north-north) is derived from its cities' regions (experiences/regions.py), never stored:
a city's region may be overridden later.

Only ``is_public`` partnerships are shown outside the admin; their budget and co-funding
source only when ``financials_public`` is set; ``internal_notes`` never.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable

from cooperation_hub.ledger import DeliveryLedger
from cooperation_hub.panels import LabelledInlinePanel
from experiences.models import City, ExperiencePage, SustainableDevelopmentGoal, Theme


class RegionPair(models.TextChoices):
    NORTH_SOUTH = "north-south", _("North–South")
    SOUTH_SOUTH = "south-south", _("South–South")
    NORTH_NORTH = "north-north", _("North–North")


def region_pair(regions: Iterable[str]) -> str:
    """The region pair of a partnership whose cities are in these regions ('north'/'south').

    Any mix of North and South is north-south (a triangular cooperation counts as
    one); an empty or single-region list is that region's pair."""
    found = set(regions)
    if "north" in found and "south" in found:
        return RegionPair.NORTH_SOUTH.value
    if found == {"north"}:
        return RegionPair.NORTH_NORTH.value
    if found == {"south"}:
        return RegionPair.SOUTH_SOUTH.value
    return ""


class PartnershipQuerySet(models.QuerySet):
    def visible_to_public(self) -> PartnershipQuerySet:
        return self.filter(is_public=True)

    def with_region_counts(self) -> PartnershipQuerySet:
        return self.annotate(
            north_cities=Count("partner_cities", filter=Q(partner_cities__city__region="north"), distinct=True),
            south_cities=Count("partner_cities", filter=Q(partner_cities__city__region="south"), distinct=True),
        )

    def in_region_pair(self, pair: str) -> PartnershipQuerySet:
        """Partnerships of this region pair, counted in SQL (the same rule as ``region_pair``)."""
        counted = self.with_region_counts()
        if pair == RegionPair.NORTH_SOUTH:
            return counted.filter(north_cities__gt=0, south_cities__gt=0)
        if pair == RegionPair.NORTH_NORTH:
            return counted.filter(north_cities__gt=0, south_cities=0)
        if pair == RegionPair.SOUTH_SOUTH:
            return counted.filter(north_cities=0, south_cities__gt=0)
        return self.none()

    def involving(self, city: City | int) -> PartnershipQuerySet:
        return self.filter(partner_cities__city=city).distinct()

    def for_display(self) -> PartnershipQuerySet:
        """With everything a list row or an API item reads: a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch("partner_cities", queryset=PartnershipCity.objects.select_related("city")),
            "themes",
            "sdgs",
        )


class Partnership(ClusterableModel):
    class Kind(models.TextChoices):
        DOCUMENTS = "documents", _("Sharing documents")
        VIDEO_CALL = "video-call", _("Video calls")
        STUDY_VISIT = "study-visit", _("Study visit")
        STAFF_EXCHANGE = "staff-exchange", _("Staff exchange")
        SCHOOL_TWINNING = "school-twinning", _("School twinning")
        TECHNICAL_COOPERATION = "technical-cooperation", _("Technical cooperation")
        TWINNING = "twinning", _("Twinning")

    class Status(models.TextChoices):
        EXPLORING = "exploring", _("Exploring")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")

    # Written by people, so in both languages side by side (like the vocabulary's terms, en/fr):
    # each page shows its language's text, else the other one's (``in_language``).
    # The French fields keep the columns of the one-language title and description (written in
    # French or in English, the migration copied them into both): the code of the release
    # before still reads them while a deploy rolls out.
    title_fr = models.CharField(
        _("title in French"),
        max_length=200,
        blank=True,
        db_column="title",
        help_text=_("Leave both titles empty to name it after its cities."),
    )
    # A default in the database too: the release before inserts rows without these columns.
    title_en = models.CharField(_("title in English"), max_length=200, blank=True, default="", db_default="")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.DOCUMENTS)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.EXPLORING, db_index=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description_fr = models.TextField(_("description in French"), blank=True, db_column="description")
    description_en = models.TextField(_("description in English"), blank=True, default="", db_default="")
    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="partnerships")
    sdgs = ParentalManyToManyField(
        SustainableDevelopmentGoal, verbose_name=_("SDGs"), blank=True, related_name="partnerships"
    )
    reports = ParentalManyToManyField(
        ExperiencePage, verbose_name=_("linked reports"), blank=True, related_name="partnerships"
    )
    budget = models.CharField(_("budget"), max_length=120, blank=True)
    cofunding_source = models.CharField(_("co-funding source"), max_length=250, blank=True)
    is_public = models.BooleanField(
        _("shown to the public"),
        default=False,
        help_text=_("Listed on the site and in the API once both sides agree."),
    )
    financials_public = models.BooleanField(
        _("budget and co-funding are public"),
        default=False,
        help_text=_("Otherwise the budget and the co-funding source stay in the admin."),
    )
    internal_notes = models.TextField(_("internal notes"), blank=True, help_text=_("Never shown outside the admin."))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A change of the cities or dates by one side, held until the other side confirms it
    # (partnerships/changes.py): {"cities": [pk], "start_date", "end_date", "awaiting": [city pk]}.
    pending_change = models.JSONField(_("change awaiting confirmation"), default=dict, blank=True, editable=False)
    pending_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("change proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When it first became public (set by ``save``): what makes it news in the digests, which
    # a partnership recorded weeks before both sides agreed to show it would otherwise miss.
    # Hidden and shown again, it keeps this moment: it is announced once.
    published_at = models.DateTimeField(_("first made public"), null=True, blank=True, editable=False, db_index=True)

    objects = PartnershipQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("title_fr"), FieldPanel("title_en")]),
        LabelledInlinePanel(
            "partner_cities", heading=capfirst(_("cities")), label=_("city"), add_label=_("Add a city"), min_num=2
        ),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("description_fr"),
        FieldPanel("description_en"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("sdgs", widget=forms.CheckboxSelectMultiple),
        FieldPanel("reports"),
        MultiFieldPanel(
            [
                FieldPanel("is_public"),
                FieldRowPanel([FieldPanel("budget"), FieldPanel("cofunding_source")]),
                FieldPanel("financials_public"),
                FieldPanel("internal_notes"),
            ],
            heading=_("Publication"),
        ),
    ]

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-start_date", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="partnership_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    def save(self, *args, **kwargs) -> None:
        # Becoming public for the first time is what the digests announce (once: hiding it and
        # showing it again keeps the first moment). A publication held for the other side's
        # confirmation is undone by changes.hold_publication (``first_published_now``) and counts
        # when it is confirmed, not when proposed.
        self.first_published_now = False
        if self.is_public and self.published_at is None:
            self.published_at = timezone.now()
            self.first_published_now = True
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "published_at"}
        super().save(*args, **kwargs)

    @property
    def cities(self) -> list[City]:
        """The cities, in their order (reads the prefetched rows of ``for_display()``)."""
        return [row.city for row in self.partner_cities.all()]

    def title_in(self, language: str | None = None) -> str:
        """The title in ``language`` (default: the active one), else in the other language."""
        return in_language(self.title_fr, self.title_en, language)

    def description_in(self, language: str | None = None) -> str:
        """The description in ``language`` (default: the active one), else in the other language."""
        return in_language(self.description_fr, self.description_en, language)

    @property
    @admin.display(description=_("partnership"))  # the column's heading in admin listings
    def display_title(self) -> str:
        """The title in the active language (else the other), else its cities' names."""
        return self.title_in() or " – ".join(city.name for city in self.cities) or str(_("Partnership"))

    @property
    def display_description(self) -> str:
        return self.description_in()

    @property
    def title_fallback_language(self) -> str:
        """The language of the title shown when it is the other language's ("" otherwise): the
        page marks it with ``lang`` so that a screen reader pronounces it right."""
        return fallback_language(self.title_fr, self.title_en)

    @property
    def description_fallback_language(self) -> str:
        return fallback_language(self.description_fr, self.description_en)

    @property
    def region_pair(self) -> str:
        return region_pair(city.region for city in self.cities)

    @property
    def region_pair_label(self) -> str:
        pair = self.region_pair
        return str(RegionPair(pair).label) if pair else ""

    @property
    def countries(self) -> list[str]:
        return sorted({city.country for city in self.cities})

    def public_budget(self) -> str:
        return self.budget if self.financials_public else ""

    def public_cofunding_source(self) -> str:
        return self.cofunding_source if self.financials_public else ""

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("partnerships:detail", kwargs={"pk": self.pk})


class PartnershipCity(Orderable):
    """A city of a partnership and its role in it."""

    class Role(models.TextChoices):
        LEAD = "lead", pgettext_lazy("partnership role", "Lead")
        PARTNER = "partner", pgettext_lazy("partnership role", "Partner")

    partnership = ParentalKey(Partnership, related_name="partner_cities", on_delete=models.CASCADE)
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="partnership_rows")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.PARTNER)

    panels = [FieldRowPanel([FieldPanel("city"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = _("partner city")
        verbose_name_plural = _("partner cities")
        constraints = [models.UniqueConstraint(fields=["partnership", "city"], name="one_row_per_city_per_partnership")]

    def __str__(self) -> str:
        return str(self.city)


def in_language(french: str, english: str, language: str | None = None) -> str:
    """The text of ``language`` (default: the active one), else the other language's."""
    language = language or get_language() or "fr"
    first, second = (french, english) if language.startswith("fr") else (english, french)
    return first or second


def fallback_language(french: str, english: str, language: str | None = None) -> str:
    """The language ("fr", "en") ``in_language`` falls back to for this text, else "" (none)."""
    language = language or get_language() or "fr"
    if language.startswith("fr"):
        return "en" if not french and english else ""
    return "fr" if not english and french else ""


def public_partnerships() -> QuerySet[Partnership]:
    return Partnership.objects.visible_to_public()


class OutcomeRequest(DeliveryLedger):
    """One member of one city of a partnership asked for its outcome at one milestone: the
    e-mail goes out once (the ledger's states), the answer comes back on the site and becomes
    a draft report submitted to review (partnerships/outcomes.py)."""

    class Milestone(models.TextChoices):
        SIX_MONTHS = "six-months", _("six months after the start")
        END = "end", _("at the end")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="outcome_requests")
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="+")
    milestone = models.CharField(_("milestone"), max_length=12, choices=Milestone.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    what_exchanged = models.TextField(_("what was exchanged"), blank=True)
    what_changed = models.TextField(_("what changed"), blank=True)
    do_differently = models.TextField(_("what you would do differently"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    draft_report = models.ForeignKey(ExperiencePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("outcome request")
        verbose_name_plural = _("outcome requests")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "city", "milestone", "recipient"], name="one_outcome_request_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} · {self.city} · {self.milestone}"
