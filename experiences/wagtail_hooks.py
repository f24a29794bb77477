"""Admin: the City snippet listing shows the facts editors check (side of the divide, size),
and the dashboard opens on the officer's own reports."""

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem, SubmitForModerationMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from . import publishing
from .models import City, ExperienceIndexPage, ExperiencePage, ExperiencePageTag


class CityIndexView(IndexView):
    # Wagtail's "Add %(model_name)s" is "Ajouter un(e) ville" in French.
    add_item_label = _("Add a city")


class CityViewSet(SnippetViewSet):
    model = City
    index_view_class = CityIndexView
    icon = "site"
    menu_order = 300
    add_to_admin_menu = False
    list_display = [
        "name",
        "country",
        "region",
        "size",
        # "130 000" in French, "130,000" in English: the bare field read "130000".
        Column(
            "population",
            label=_("population"),
            sort_key="population",
            accessor=lambda city: number_format(city.population, force_grouping=True) if city.population else "",
        ),
    ]
    list_filter = ["region", "size"]
    search_fields = ["name"]
    ordering = ["name"]


register_snippet(CityViewSet)


class OfficerDashboardPanel(Component):
    """Drafts, reviews, recent publications and comparable projects (experiences.dashboard)."""

    name = "officer_reports"
    template_name = "experiences/admin/officer_dashboard.html"
    order = 90  # above Wagtail's own panels: this is what an officer came for

    def get_context_data(self, parent_context):
        from .dashboard import officer_dashboard

        context = super().get_context_data(parent_context)
        context["dashboard"] = officer_dashboard(parent_context["request"].user)
        return context


@hooks.register("construct_homepage_panels")
def add_officer_dashboard(request, panels) -> None:
    from .dashboard import works_on_reports

    if works_on_reports(request.user):
        panels.append(OfficerDashboardPanel())


class TranslateReportMenuItem(ActionMenuItem):
    """ "Translate into English" / "Traduire en français" in the editor's action menu of a report
    that has no page in that language yet. It submits to Wagtail's simple_translation (the one
    translation tool of the hub: a copy in the other language, as a draft, opened in the same
    editor and sent through the same review), with that language chosen."""

    name = "action-translate"
    icon_name = "globe"
    template_name = "experiences/admin/translate_menu_item.html"

    def is_shown(self, context) -> bool:
        page = context.get("page")
        return (
            context["view"] == "edit"
            and isinstance(page, ExperiencePage)
            and context["request"].user.has_perm("simple_translation.submit_translation")
            and bool(missing_locales(page))
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = parent_context["page"]
        context["url"] = reverse("simple_translation:submit_page_translation", args=[page.pk])
        context["targets"] = [
            {"locale": locale, "label": translate_into(locale.language_code)} for locale in missing_locales(page)
        ]
        return context


def missing_locales(page) -> list[Locale]:
    """The languages this report has no page in (a draft translation counts: it is being written)."""
    return list(Locale.objects.exclude(pk__in=page.get_translations(inclusive=True).values("locale_id")))


TRANSLATE_INTO = {"en": _("Translate into English"), "fr": _("Translate into French")}


def translate_into(code: str) -> str:
    return str(TRANSLATE_INTO.get(code) or _("Translate into %(language)s") % {"language": code})


@hooks.register("register_page_action_menu_item")
def register_translate_report_menu_item():
    return TranslateReportMenuItem(order=55)


class SubmitForReviewMenuItem(SubmitForModerationMenuItem):
    """Wagtail's "Submit to <workflow>" / "Resubmit to <task>" button, with the workflow's
    or task's name in the editor's language ("Soumettre à Relecture avant publication")
    rather than as stored (experiences/publishing.py)."""

    def get_context_data(self, parent_context):
        context = ActionMenuItem.get_context_data(self, parent_context)  # Wagtail's label is replaced below
        page = context.get("page")
        state = page.current_workflow_state if page else None
        if state and state.status == state.STATUS_NEEDS_CHANGES:
            context["label"] = gettext("Resubmit to %(task_name)s") % {
                "task_name": publishing.label(state.current_task_state.task.name)
            }
        else:
            workflow = (page if page and page.pk else context["parent_page"]).get_workflow()
            if workflow:
                context["label"] = gettext("Submit to %(workflow_name)s") % {
                    "workflow_name": publishing.label(workflow.name)
                }
        return context


@hooks.register("construct_page_action_menu")
def submit_button_in_the_editors_language(menu_items, request, context) -> None:
    menu_items[:] = [
        SubmitForReviewMenuItem(order=item.order) if type(item) is SubmitForModerationMenuItem else item
        for item in menu_items
    ]


@hooks.register("insert_editor_js")
def autosave_gate_js():
    """Autosave waits for the fields a draft cannot be stored without (static/experiences/admin/autosave-gate.js)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}"></script>', static("experiences/admin/autosave-gate.js"))


@hooks.register("hub_navigation")
def navigation_entry():
    # The header's "experiences" link (cooperation_hub/context_processors.py).
    return ("experiences", ExperienceIndexPage)


@hooks.register("hub_public_tag_ids")
def public_report_tag_ids():
    # Tags of reports visible to the public (cooperation_hub/visibility.public_tags).
    return ExperiencePageTag.objects.filter(content_object__in=ExperiencePage.objects.visible_to_public()).values(
        "tag_id"
    )


@hooks.register("refresh_kept_answers")
def refresh_lists_and_maps() -> None:
    """After a publication (cooperation_hub/page_cache.py ``refresh_soon``): each language's list and
    map, and the map's GeoJSON, worked out by the worker before a reader asks."""
    from .api import LANGUAGES, geojson_body
    from .views import keep_answers

    for index in ExperienceIndexPage.objects.visible_to_public().select_related("locale").order_by("path"):
        keep_answers(index)
    for lang in LANGUAGES:
        geojson_body(lang, {})
