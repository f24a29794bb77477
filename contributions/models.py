"""Consultations and the contributions, replies and supports they collect."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index


class ConsultationIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["contributions.ConsultationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("consultations index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        consultations = list(ConsultationPage.objects.live().child_of(self).order_by("-opens_at"))
        # Open ones first, then those to come, then the closed ones.
        consultations.sort(key=lambda c: {"open": 0, "upcoming": 1, "closed": 2}[c.window_state(now)])
        context["consultations"] = consultations
        return context


class ConsultationSuggestedTag(TaggedItemBase):
    content_object = ParentalKey(
        "contributions.ConsultationPage", related_name="suggested_tagged_items", on_delete=models.CASCADE
    )


class ConsultationPage(Page):
    """A question put to the network during a window of time."""

    external_id = models.SlugField(_("external ID"), max_length=120, blank=True, db_index=True)
    question = models.CharField(_("question"), max_length=300)
    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    timezone_name = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    suggested_tags = ClusterTaggableManager(
        through=ConsultationSuggestedTag, blank=True, verbose_name=_("suggested tags")
    )
    linked_experiences = ParentalManyToManyField(
        "experiences.ExperiencePage", blank=True, related_name="consultations",
        verbose_name=_("linked experiences"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("question"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]), FieldPanel("timezone_name")],
            heading=_("Window"),
        ),
        InlinePanel("sections", label=_("sections")),
        FieldPanel("suggested_tags"),
        FieldPanel("linked_experiences"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("question"),
        index.SearchField("introduction"),
        index.FilterField("locale"),
        index.AutocompleteField("title"),
    ]
    parent_page_types = ["contributions.ConsultationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("consultation")

    def window_state(self, now=None) -> str:
        """'upcoming', 'open' or 'closed' at the given instant (default: now)."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        return "closed"

    def is_open(self, now=None) -> bool:
        return self.window_state(now) == "open"


class ConsultationSection(Orderable):
    consultation = ParentalKey(ConsultationPage, related_name="sections", on_delete=models.CASCADE)
    slug = models.SlugField(max_length=60)
    title = models.CharField(_("heading"), max_length=160)

    panels = [FieldPanel("title"), FieldPanel("slug")]

    def __str__(self) -> str:
        return self.title


class ContributionTag(TaggedItemBase):
    content_object = models.ForeignKey("contributions.Contribution", on_delete=models.CASCADE)


class Contribution(index.Indexed, models.Model):
    class State(models.TextChoices):
        PUBLISHED = "published", _("published")
        HIDDEN = "hidden", _("hidden by a moderator")
        WITHDRAWN = "withdrawn", _("withdrawn by its author")

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="contributions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contributions")
    section = models.ForeignKey(
        ConsultationSection, null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10_000)
    tags = TaggableManager(through=ContributionTag, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fr")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED, db_index=True)
    external_id = models.SlugField(max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("title"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("state"),
        index.FilterField("language"),
        index.FilterField("consultation"),
    ]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Reply(models.Model):
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="replies")
    body = models.TextField(_("reply"), max_length=5_000)
    state = models.CharField(
        max_length=10, choices=Contribution.State.choices, default=Contribution.State.PUBLISHED
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"Reply by {self.author} to {self.contribution}"


class Support(models.Model):
    """"Interested in an exchange?" — one per account and contribution."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contribution", "user"], name="one_support_per_account")]

    def __str__(self) -> str:
        return f"{self.user} supports {self.contribution}"
