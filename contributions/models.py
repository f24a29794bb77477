"""Consultations and the contributions, replies and supports they collect."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cooperation_hub import page_cache
from cooperation_hub.ledger import DeliveryLedger
from cooperation_hub.panels import LabelledInlinePanel
from cooperation_hub.visibility import HubPageManager, KeptViewRestrictions

from . import rules
from .forms_admin import ConsultationPageForm


class ConsultationIndexPage(KeptViewRestrictions, Page):
    intro = models.TextField(_("introduction"), blank=True)

    objects = HubPageManager()  # .visible_to_public(): what every listing starts from

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["contributions.ConsultationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("consultations index")

    def get_context(self, request, *args, **kwargs):
        page_cache.depends_on(request, page_cache.CONTRIBUTIONS)
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        consultations = list(ConsultationPage.objects.visible_to_public().child_of(self).order_by("-opens_at"))
        for consultation in consultations:
            page_cache.expires_at(request, consultation.next_window_change(now))
        # Open ones first, then those to come, then the closed ones.
        consultations.sort(key=lambda c: {"open": 0, "upcoming": 1, "closed": 2}[c.window_state(now)])
        context["consultations"] = consultations
        return context


class ConsultationSuggestedTag(TaggedItemBase):
    content_object = ParentalKey(
        "contributions.ConsultationPage", related_name="suggested_tagged_items", on_delete=models.CASCADE
    )


class ConsultationPage(KeptViewRestrictions, RoutablePageMixin, Page):
    """A question put to the network during a window of time.

    Its sub-routes (views in contributions/views.py) serve the contributions:
    ``contributions/<id>/`` is the permalink of one of them.
    """

    external_id = models.SlugField(_("external ID"), max_length=120, blank=True, db_index=True)
    question = models.CharField(_("question"), max_length=300)
    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    opens_at = models.DateTimeField(_("opens at"), help_text=_("The first instant contributions are accepted."))
    closes_at = models.DateTimeField(
        _("closes at"),
        help_text=_(
            "The first instant contributions are refused (exclusive). To count a whole last day, "
            "use the dates below instead."
        ),
    )
    timezone_name = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    suggested_tags = ClusterTaggableManager(
        through=ConsultationSuggestedTag, blank=True, verbose_name=_("suggested tags")
    )
    linked_experiences = ParentalManyToManyField(
        "experiences.ExperiencePage",
        blank=True,
        related_name="consultations",
        verbose_name=_("linked experiences"),
    )
    synthesis_summary = RichTextField(
        _("moderator's summary"),
        blank=True,
        features=["h3", "bold", "italic", "link", "ol", "ul"],
        help_text=_("What the consultation brought out, in your words: shown at the top of its synthesis page."),
    )

    objects = HubPageManager()  # .visible_to_public(): what every listing starts from

    content_panels = Page.content_panels + [
        FieldPanel("question"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("timezone_name"),
                FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=_("Window"),
        ),
        # label: the singular, for "Section 1"; heading: the panel's title; add_label: the button.
        LabelledInlinePanel(
            "sections", heading=capfirst(_("sections")), label=_("section"), add_label=_("Add a section")
        ),
        FieldPanel("suggested_tags"),
        FieldPanel("linked_experiences"),
        FieldPanel("synthesis_summary"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("question"),
        index.SearchField("introduction"),
        index.FilterField("locale"),
        index.AutocompleteField("title"),
    ]
    parent_page_types = ["contributions.ConsultationIndexPage"]
    subpage_types: list[str] = []
    base_form_class = ConsultationPageForm

    class Meta:
        verbose_name = _("consultation")

    def clean(self) -> None:
        super().clean()
        error = rules.window_error(self.opens_at, self.closes_at)
        if error:
            raise ValidationError({"closes_at": error})

    def last_open_day(self):
        """The window's last whole day when it closes at midnight, else None (rules.last_open_day)."""
        return rules.last_open_day(self.closes_at, self.timezone_name) if self.closes_at else None

    def window_state(self, now=None) -> str:
        """'upcoming', 'open' or 'closed' at the given instant (default: now)."""
        return rules.window_state(self.opens_at, self.closes_at, now)

    def next_window_change(self, now=None):
        """When this consultation next opens or closes by itself, if it still will."""
        now = now or timezone.now()
        return next((moment for moment in (self.opens_at, self.closes_at) if moment and moment > now), None)

    def serve(self, request, *args, **kwargs):
        # Its pages show the contributions of every translation, and the window.
        page_cache.depends_on(request, page_cache.consultation_tag(self.translation_key))
        page_cache.expires_at(request, self.next_window_change())
        return super().serve(request, *args, **kwargs)

    def translation_pages(self):
        """This consultation in every language: one discussion, shown on each."""
        return ConsultationPage.objects.filter(translation_key=self.translation_key)

    def all_contributions(self):
        """The contributions of every translation of this consultation."""
        return Contribution.objects.filter(consultation__translation_key=self.translation_key)

    @classmethod
    def permalinks_in(cls, language: str, contribution_ids: Iterable[int]) -> dict[int, str]:
        """The permalinks of these contributions on their consultation's page in ``language``
        (two queries), for those whose consultation the public may read in it: a reader of
        the French search opens an English contribution on the French consultation."""
        keys = dict(
            Contribution.objects.filter(pk__in=contribution_ids).values_list("pk", "consultation__translation_key")
        )
        pages = {
            page.translation_key: page
            for page in cls.objects.filter(
                translation_key__in=set(keys.values()), locale__language_code=language
            ).visible_to_public()
        }
        return {pk: pages[key].contribution_url(pk) for pk, key in keys.items() if key in pages}

    def contribution_url(self, contribution_id: int, *, page_url: str | None = None) -> str:
        """The one definition of a contribution's permalink: its sub-route on this page.

        ``page_url`` is this page's address when the caller already has it (a
        listing or a batch of e-mails builds it once, not once per contribution)."""
        base = self.url if page_url is None else page_url
        return base + self.reverse_subpage("contribution_detail", args=[contribution_id])

    # --- Sub-routes (the views live in contributions/views.py) ---------------
    @path("")
    def index_route(self, request, *args, **kwargs):
        from . import views

        return views.consultation_listing(request, self)

    @path("contributions/<int:contribution_id>/")
    def contribution_detail(self, request, contribution_id):
        from . import views

        return views.contribution_detail(request, self, contribution_id)

    @path("contributions/<int:contribution_id>/edit/")
    def contribution_edit(self, request, contribution_id):
        from . import views

        return views.contribution_edit(request, self, contribution_id)

    @path("contributions/<int:contribution_id>/withdraw/")
    def contribution_withdraw(self, request, contribution_id):
        from . import views

        return views.contribution_withdraw(request, self, contribution_id)

    @path("contributions/<int:contribution_id>/reply/")
    def contribution_reply(self, request, contribution_id):
        from . import views

        return views.contribution_reply(request, self, contribution_id)

    @path("contributions/<int:contribution_id>/support/")
    def contribution_support(self, request, contribution_id):
        from . import views

        return views.contribution_support(request, self, contribution_id)

    @path("contributions/<int:contribution_id>/report/")
    def contribution_report(self, request, contribution_id):
        from . import views

        return views.contribution_report(request, self, contribution_id)

    @path("contributions/<int:contribution_id>/replies/<int:reply_id>/edit/")
    def reply_edit(self, request, contribution_id, reply_id):
        from . import views

        return views.reply_edit(request, self, contribution_id, reply_id)

    @path("contributions/<int:contribution_id>/replies/<int:reply_id>/withdraw/")
    def reply_withdraw(self, request, contribution_id, reply_id):
        from . import views

        return views.reply_withdraw(request, self, contribution_id, reply_id)

    @path("contributions/<int:contribution_id>/replies/<int:reply_id>/report/")
    def reply_report(self, request, contribution_id, reply_id):
        from . import views

        return views.reply_report(request, self, contribution_id, reply_id)

    @path("export/csv/", name="export_csv")
    def export_csv(self, request):
        from . import exports

        return exports.csv_response(self)

    @path("export/json/", name="export_json")
    def export_json(self, request):
        from . import exports

        return exports.json_response(self)

    @path("synthesis/")
    def synthesis(self, request):
        from . import views

        return views.synthesis(request, self)


class ConsultationSection(Orderable):
    consultation = ParentalKey(ConsultationPage, related_name="sections", on_delete=models.CASCADE)
    slug = models.SlugField(max_length=60)
    title = models.CharField(_("heading"), max_length=160)

    panels = [FieldPanel("title"), FieldPanel("slug")]

    def __str__(self) -> str:
        return self.title


class ContributionTag(TaggedItemBase):
    content_object = models.ForeignKey("contributions.Contribution", on_delete=models.CASCADE)


class ContributionQuerySet(models.QuerySet):
    def visible_to_public(self) -> "ContributionQuerySet":
        """Published contributions of consultations visible to the public (never hidden or
        withdrawn ones, nor those of a draft or private consultation)."""
        return self.filter(
            state=Contribution.State.PUBLISHED, consultation__in=ConsultationPage.objects.visible_to_public()
        )


# django-stubs cannot build the reverse managers of a model with an untyped base (Wagtail's index.Indexed).
class Contribution(index.Indexed, models.Model):  # type: ignore[django-manager-missing]
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
    # The form's one-time token (cooperation_hub.once): a resubmitted form is stored once.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = ContributionQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("state"),
        index.FilterField("language"),
        index.FilterField("consultation"),
        index.FilterField("id"),  # search/service.py restricts a database search to a filtered set
    ]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["author", "submission_token"], name="contribution_submitted_once")
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def get_indexed_objects(cls):
        # Only published contributions are searchable: hiding or withdrawing
        # one removes it from the index (see save()).
        return super().get_indexed_objects().filter(state=cls.State.PUBLISHED)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.state != self.State.PUBLISHED:
            index.remove_object(self)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def consultation_in(self, language: str | None) -> ConsultationPage:
        """Its consultation's page in ``language`` when the public may read it there, else its own."""
        page = self.consultation
        if language and page.locale.language_code != language:
            translation = page.translation_pages().visible_to_public().filter(locale__language_code=language)
            page = translation.first() or page
        return page

    def get_url(self, language: str | None = None) -> str:
        """The permalink, on the consultation page of ``language`` if it exists."""
        return self.consultation_in(language).contribution_url(self.pk)

    def get_absolute_url(self) -> str:
        return self.get_url()

    @property
    def url(self) -> str:
        return self.get_url()

    @property
    def text(self) -> str:
        from .sanitize import to_text

        return to_text(self.body)


class ContributionRevision(models.Model):
    """A previous version of a contribution, kept when its author edits it."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    section_title = models.CharField(_("section"), max_length=160, blank=True)
    edited_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        ordering = ["-edited_at"]
        verbose_name = _("contribution revision")

    def __str__(self) -> str:
        return f"{self.title} ({self.edited_at:%Y-%m-%d %H:%M})"


class Reply(models.Model):
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="replies")
    body = models.TextField(_("reply"), max_length=5_000)
    state = models.CharField(
        _("state"), max_length=10, choices=Contribution.State.choices, default=Contribution.State.PUBLISHED
    )
    created_at = models.DateTimeField(pgettext_lazy("contribution", "created"), default=timezone.now)
    submission_token = models.UUIDField(null=True, blank=True, editable=False)  # see cooperation_hub.once
    # Not a column: set by the contribution page for its reader (may they edit this reply?).
    changeable: bool

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "replies"
        constraints = [models.UniqueConstraint(fields=["author", "submission_token"], name="reply_submitted_once")]

    def __str__(self) -> str:
        return f"Reply by {self.author} to {self.contribution}"


class ReplyNotification(DeliveryLedger):
    """The e-mail telling a contribution's author about a reply, sent once.

    A row exists only when the author is to be told (not for a reply to
    oneself); states and transitions: cooperation_hub.ledger; sending: tasks.notify_reply."""

    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="notification")

    class Meta:
        ordering = ["-claimed_at", "-id"]
        verbose_name = _("reply e-mail")
        verbose_name_plural = _("reply e-mails")

    def __str__(self) -> str:
        return f"{self.reply} ({self.state})"


class ReplyRevision(models.Model):
    """A previous version of a reply, kept when its author edits it (moderators see what was reported)."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("reply"))
    edited_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        ordering = ["-edited_at"]
        verbose_name = _("reply revision")

    def __str__(self) -> str:
        return f"{self.reply} ({self.edited_at:%Y-%m-%d %H:%M})"


class Support(models.Model):
    """ "Interested in an exchange?" — one per account and contribution."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="supports")
    # Empty once its giver erased their account: the support still counts (accounts/privacy.py).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contribution", "user"], name="one_support_per_account")]

    def __str__(self) -> str:
        return f"{self.user} supports {self.contribution}"


class Report(models.Model):
    """A signed-in member's report that a contribution, or one of its replies, breaks the rules."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reports")
    # Set when the report is about this reply of the contribution rather than the contribution itself.
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    # Empty once the reporter erased their account: an open report stays in the moderators' queue.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    reason = models.TextField(_("reason"), max_length=1_000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "reporter"],
                condition=models.Q(reply__isnull=True),
                name="one_report_per_account",
            ),
            models.UniqueConstraint(
                fields=["reply", "reporter"],
                condition=models.Q(reply__isnull=False),
                name="one_reply_report_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"Report on {self.reply or self.contribution}"


class ModerationAction(models.Model):
    """The audit trail: who hid or restored what, when and why."""

    class Kind(models.TextChoices):
        HIDE = "hide", _("hidden")
        RESTORE = "restore", _("restored")
        DISMISS = "dismiss", _("reports dismissed")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="moderation_actions")
    # Set when the action was on this reply of the contribution.
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_actions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="moderation_actions"
    )
    action = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=1_000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("moderation action")

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.reply or self.contribution}"


class NotificationPreference(models.Model):
    """What a member wants to be told by e-mail (kept apart from the account model)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_on_reply = models.BooleanField(_("e-mail me when someone replies to my contributions"), default=True)

    def __str__(self) -> str:
        return f"Notifications of {self.user}"

    @classmethod
    def wants_reply_emails(cls, user) -> bool:
        pref = cls.objects.filter(user=user).first()
        return pref.email_on_reply if pref else True
