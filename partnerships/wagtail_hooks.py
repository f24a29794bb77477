"""Admin: partnerships as a snippet (filters by status, kind and country), and the hooks through
which the older apps show partnerships without importing this app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import django_filters
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from .models import Partnership, PartnershipCity


def _countries(request=None):
    from experiences.regions import country_name

    codes = PartnershipCity.objects.values_list("city__country", flat=True).distinct()
    return sorted(((code, country_name(code, "en")) for code in set(codes)), key=lambda item: item[1])


class PartnershipFilterSet(WagtailFilterSet):
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=_countries, method="filter_country", empty_label=_("All")
    )

    def filter_country(self, queryset, name, value):
        return queryset.filter(pk__in=PartnershipCity.objects.filter(city__country=value).values("partnership_id"))

    class Meta:
        model = Partnership
        fields = ["status", "kind", "is_public"]


class PartnershipIndexView(IndexView):
    # Wagtail's "Add %(model_name)s" is "Ajouter un(e) partenariat" in French.
    add_item_label = _("Add a partnership")


class PartnershipViewSet(SnippetViewSet):
    model = Partnership
    index_view_class = PartnershipIndexView
    icon = "group"
    menu_label = _("Partnerships")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["display_title", "status", "kind", "start_date", "is_public", "updated_at"]
    filterset_class = PartnershipFilterSet
    search_fields = ["title_fr", "title_en", "description_fr", "description_en"]
    ordering = ["-updated_at"]

    def get_queryset(self, request):
        from . import rules

        # Officers and reviewers list the partnerships of the cities they answer for; administrators
        # all. The cities name a partnership without a title in the row (no query per row).
        return rules.editable_by(request.user).prefetch_related("partner_cities__city")


# --- What the older apps show (they name the hook, never this app) ------------------------
def partners_of(city_id: int) -> list[dict]:
    """The public partnerships of a city, each with its other cities: three queries."""
    from .queries import public_queryset

    items = []
    for partnership in public_queryset().filter(
        pk__in=PartnershipCity.objects.filter(city_id=city_id).values("partnership_id")
    ):
        partners = [city for city in partnership.cities if city.pk != city_id]
        items.append({"partnership": partnership, "partners": partners})
    return items


@hooks.register("hub_city_sections")
def city_partnerships_section(request, city) -> str:
    """ "Already cooperates with" on a city page and its peers page ({% hook_sections "hub_city_sections" city %})."""
    from django.template.loader import render_to_string

    items = partners_of(city.pk)
    if not items:
        return ""
    return render_to_string(
        "partnerships/includes/city_partnerships.html", {"city": city, "items": items}, request=request
    )


@hooks.register("hub_map_sections")
def map_partnerships_table(request, cities: set[str] | None = None) -> str:
    """Below the network map: the public partnerships as a table, the text alternative of the
    lines map.js draws between the partner cities ({% hook_sections "hub_map_sections" %}); on a
    filtered map (``cities``: the slugs of the cities on it), the same as the lines."""
    from django.template.loader import render_to_string

    partnerships = [p for p in Partnership.objects.visible_to_public().for_display() if on_the_map(p, cities)]
    if not partnerships:
        return ""
    return render_to_string(
        "partnerships/includes/map_partnerships.html", {"partnerships": partnerships}, request=request
    )


def on_the_map(partnership: Partnership, cities: set[str] | None) -> bool:
    """Whether a partnership is drawn on a map showing ``cities`` (None: the whole map): one of
    its cities is on it."""
    return cities is None or any(city.slug in cities for city in partnership.cities)


@hooks.register("experiences_map_geojson")
def map_partnerships(lang: str, cities: set[str] | None = None) -> dict:
    """The public partnerships as a top-level ``partnerships`` member of the map's GeoJSON; on a
    filtered map (``cities``: the slugs of the cities on it) those with a city on it."""
    from django.db.models import Prefetch

    rows = []
    # Two queries: the partnerships and their cities (nothing else is drawn).
    partner_cities = Prefetch("partner_cities", queryset=PartnershipCity.objects.select_related("city"))
    for partnership in Partnership.objects.visible_to_public().prefetch_related(partner_cities):
        if not on_the_map(partnership, cities):
            continue
        rows.append(
            {
                "id": partnership.pk,
                "title": title_in(partnership, lang),
                "url": url_in(lang, partnership.pk),
                "cities": [city.slug for city in partnership.cities],
                # [longitude, latitude] of each city placed on the map (map.js draws the lines).
                "coordinates": [
                    [city.longitude, city.latitude]
                    for city in partnership.cities
                    if city.latitude is not None and city.longitude is not None
                ],
                "kind": partnership.kind,
                "status": partnership.status,
                "region_pair": partnership.region_pair,
            }
        )
    return {"partnerships": rows}


def title_in(partnership: Partnership, lang: str) -> str:
    from django.utils import translation

    with translation.override(lang):
        return partnership.display_title


def url_in(lang: str, pk: int) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(lang):
        return reverse("partnerships:detail", kwargs={"pk": pk})


@hooks.register("subscriptions_partnered_pairs")
def partnered_pairs() -> list[tuple[int, int]]:
    """Every pair of cities of a public partnership (one query), for peer matching's reasons."""
    from itertools import combinations

    cities_of: dict[int, list[int]] = {}
    rows = PartnershipCity.objects.filter(partnership__is_public=True).values_list("partnership_id", "city_id")
    for partnership_id, city_id in rows:
        cities_of.setdefault(partnership_id, []).append(city_id)
    return [pair for cities in cities_of.values() for pair in combinations(sorted(set(cities)), 2)]


@dataclass
class DigestPartnership:
    """A new public partnership as the digests show it (subscriptions/digests.py reads these fields):
    ``news_at`` is when it was first made public; ``title`` is in the active language (the digest
    is rendered in its reader's), from ``titles``."""

    titles: dict[str, str]
    cities: str
    themes: set[int]
    theme_names: dict[int, tuple[str, str]]
    news_at: datetime
    urls: dict[str, str]

    @property
    def title(self) -> str:
        language = (get_language() or "fr")[:2]
        return self.titles.get(language) or self.titles["fr"]


@hooks.register("subscriptions_digest_partnerships")
def digest_partnerships(start: datetime, end: datetime) -> list[DigestPartnership]:
    """Partnerships made public between ``start`` and ``end`` (three queries): one recorded long
    before both sides agreed to show it is news when it is shown, once."""
    from cooperation_hub.sites import absolute_reverse

    items = []
    for partnership in (
        Partnership.objects.visible_to_public().for_display().filter(published_at__gte=start, published_at__lt=end)
    ):
        themes = list(partnership.themes.all())
        items.append(
            DigestPartnership(
                titles={lang: title_in(partnership, lang) for lang in ("fr", "en")},
                cities=" – ".join(f"{city.name} ({city.country})" for city in partnership.cities),
                themes={theme.pk for theme in themes},
                theme_names={theme.pk: (theme.name_en, theme.name_fr) for theme in themes},
                news_at=partnership.published_at,
                urls={
                    lang: absolute_reverse("partnerships:detail", language=lang, kwargs={"pk": partnership.pk})
                    for lang in ("fr", "en")
                },
            )
        )
    return items


class OutcomesPanel(Component):
    """On the admin dashboard: the outcome requests sent to this member and not answered yet."""

    name = "partnership_outcomes"
    template_name = "partnerships/admin/outcomes_panel.html"
    order = 95

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["rows"] = self.rows
        return context


@hooks.register("construct_homepage_panels")
def add_outcomes_panel(request, panels) -> None:
    from .models import OutcomeRequest

    rows = list(
        OutcomeRequest.objects.filter(recipient=request.user, answered_at__isnull=True)
        .exclude(state=OutcomeRequest.State.FAILED)
        .select_related("partnership", "city")
        .order_by("-pk")[:10]
    )
    if rows:
        panels.append(OutcomesPanel(rows))


# --- Changes that name the other side wait for its confirmation (partnerships/changes.py) ----
class PartnershipEditView(EditView):
    def get_object(self, queryset=None):
        from django.core.exceptions import PermissionDenied

        # Wagtail checks the model-wide "change" permission only: the per-city rule is per instance.
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "change", instance):
            raise PermissionDenied
        return instance

    def save_instance(self):
        from django.contrib import messages

        from . import changes

        # As stored: the bound form has already written the edited dates onto self.object.
        stored = Partnership.objects.get(pk=self.object.pk)
        before = changes.snapshot(stored)
        instance = super().save_instance()
        if changes.hold_for_confirmation(instance, before, self.request.user):
            messages.warning(
                self.request,
                _("The change of cities or dates awaits the confirmation of the other side; the rest is saved."),
            )
        if changes.hold_publication(instance, stored.is_public, self.request.user):
            messages.warning(self.request, PUBLICATION_HELD)
        return instance


class PartnershipCreateView(CreateView):
    def is_valid(self, form):
        from . import rules

        # Who records a partnership answers for one of its cities (nothing is saved otherwise).
        if not super().is_valid(form):
            return False
        formset = form.formsets["partner_cities"]
        cities = {
            sub.cleaned_data["city"].pk
            for sub in formset.forms
            if sub.cleaned_data.get("city") is not None and not sub.cleaned_data.get("DELETE")
        }
        if rules.may_start_for(self.request.user, cities):
            return True
        form.add_error(None, NOT_YOUR_CITIES)
        self.produced_error_code = "validation_error"
        self.produced_error_message = self.get_error_message()  # lists the form's errors below it
        return False

    def save_instance(self):
        from django.contrib import messages

        from . import changes

        instance = super().save_instance()
        if changes.hold_publication(instance, False, self.request.user):
            messages.warning(self.request, PUBLICATION_HELD)
        return instance


NOT_YOUR_CITIES = _(
    "You can only record a partnership of a city you answer for: add your city, "
    "or ask an administrator to link you to one of these cities."
)
PUBLICATION_HELD = _("The partnership will be public once the other side confirms; the rest is saved.")


class PartnershipPermissionPolicy(ModelPermissionPolicy):
    """Officers and reviewers edit only the partnerships naming a city they answer for;
    administrators everything (partnerships/rules.py)."""

    def user_has_permission_for_instance(self, user, action, instance):
        from . import rules

        if action in ("change", "delete"):
            if action == "delete" and not user.is_superuser and not self.user_has_permission(user, "delete"):
                return False
            return rules.can_edit(user, instance)
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        from . import rules

        if set(actions) <= {"change", "delete"}:
            return rules.editable_by(user)
        return super().instances_user_has_any_permission_for(user, actions)


register_permission_policy(Partnership, PartnershipPermissionPolicy(Partnership))
PartnershipViewSet.edit_view_class = PartnershipEditView
PartnershipViewSet.add_view_class = PartnershipCreateView
register_snippet(PartnershipViewSet)


def pending_view(request, pk: int):
    """The change awaiting confirmation, with Confirm and Reject (POST) for the other side."""
    from django.contrib import messages
    from django.http import Http404
    from django.shortcuts import get_object_or_404, redirect
    from django.template.response import TemplateResponse

    from experiences.models import City

    from . import changes

    partnership = get_object_or_404(Partnership, pk=pk)
    if not partnership.pending_change or not changes.can_confirm(request.user, partnership):
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "confirm":
            changes.confirm(partnership, request.user)
            messages.success(request, _("The change is confirmed."))
        else:
            changes.reject(partnership, request.user)
            messages.success(request, _("The change is rejected."))
        return redirect("wagtailadmin_home")
    current = changes.snapshot(partnership)
    names = {
        c.pk: str(c)
        for c in City.objects.filter(
            pk__in=[pk for pk, _r in current["cities"]] + [pk for pk, _r in partnership.pending_change["cities"]]
        )
    }
    return TemplateResponse(
        request,
        "partnerships/admin/pending_change.html",
        {
            "partnership": partnership,
            "current": {**current, "names": [names[pk] for pk, _r in current["cities"]]},
            "proposed": {
                **partnership.pending_change,
                "names": [names[pk] for pk, _r in partnership.pending_change["cities"]],
            },
        },
    )


@hooks.register("register_admin_urls")
def pending_urls():
    from django.urls import path

    return [path("partnerships/<int:pk>/pending/", pending_view, name="partnerships_pending")]


class PendingChangesPanel(Component):
    name = "partnership_pending_changes"
    template_name = "partnerships/admin/pending_panel.html"
    order = 94

    def __init__(self, partnerships):
        self.partnerships = partnerships

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["partnerships"] = self.partnerships
        return context


@hooks.register("construct_homepage_panels")
def add_pending_panel(request, panels) -> None:
    from . import changes

    waiting = [
        p
        for p in Partnership.objects.exclude(pending_change={}).prefetch_related("partner_cities__city")[:50]
        if changes.can_confirm(request.user, p)
    ]
    if waiting:
        panels.append(PendingChangesPanel(waiting))
