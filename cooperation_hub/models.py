"""Site-wide models: the account of a network member and the home page."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .visibility import HubPageManager, KeptViewRestrictions

# A "~" is refused by the username validator: no sign-up can ever take this name.
FORMER_PARTICIPANT_USERNAME = "~former-participant"


class User(AbstractUser):
    """A member of the network: contributors, officers, reviewers, moderators.

    What other members see is the display name, city and organisation, never
    the e-mail address.
    """

    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    language = models.CharField(_("preferred language"), max_length=5, choices=settings.LANGUAGES, default="fr")

    def get_full_name(self) -> str:
        """The name people chose to be known by: Wagtail greets and credits members with it
        (workflow e-mails, page history) instead of the internal username ("Hello officer")."""
        return self.display_name.strip() or super().get_full_name()

    def get_short_name(self) -> str:
        return self.display_name.strip() or super().get_short_name()

    @property
    def is_former_participant(self) -> bool:
        """The placeholder that keeps the contributions of erased accounts (accounts/privacy.py)."""
        return self.username == FORMER_PARTICIPANT_USERNAME

    @property
    def public_name(self) -> str:
        if self.is_former_participant:
            # Translated when shown, so each language reads its own label.
            return gettext("Former participant")
        return self.display_name or self.get_full_name() or self.username


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is a member, never anonymous.
    Only an annotation for the type checker (django-stubs' pattern); Django builds the request."""

    user: User


class HomePage(KeptViewRestrictions, Page):
    """The front door: what the network is, and the ways in."""

    hero_title = models.CharField(_("hero title"), max_length=160)
    hero_text = models.TextField(_("hero text"), max_length=600)
    body = RichTextField(_("body"), blank=True)

    objects = HubPageManager()  # .visible_to_public(): what every listing starts from

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Every public path starts here: the page it leads to is remembered and read by its id
        instead of walked to again, while it is still the page there (cooperation_hub/routing.py)."""
        from .routing import route_under

        return route_under(self, request, path_components, super().route)

    @property
    def localized(self) -> Page:
        """The home page in the reader's language, which every page starts its route from: kept
        by the process for the site's generation (cooperation_hub/routing.py)."""
        from .routing import localized_home

        return localized_home(self, lambda: Page.localized.fget(self))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from experiences.translation import latest_listed

        # The newest reports this language's list shows, untranslated originals included; the
        # index gives each card its city link and a fallback's address under this language.
        context["latest_index"], context["latest_experiences"] = latest_listed(self.locale_id)
        return context


class DeferredTask(models.Model):
    """Background work that could not be handed to the broker (Redis down):
    kept here until ``cooperation_hub.background.requeue_deferred`` sends it."""

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    created_at = models.DateTimeField(pgettext_lazy("deferred task", "created"), auto_now_add=True, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("deferred background task")
        verbose_name_plural = _("deferred background tasks")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task_name} {self.args}"


class Heartbeat(models.Model):
    """When a periodic job last ran, written by the job itself: the system status
    panel reads the age of beat's last tick from here, the one place every web
    node and worker shares (a cache or a file would be per node or may be down)."""

    name = models.CharField(pgettext_lazy("heartbeat", "name"), max_length=100, unique=True)
    at = models.DateTimeField(pgettext_lazy("heartbeat", "last run"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
