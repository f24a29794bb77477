"""Admin: the City snippet listing shows the facts editors check (side of the divide, size),
and the dashboard opens on the officer's own reports."""

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import City


class CityViewSet(SnippetViewSet):
    model = City
    icon = "site"
    menu_order = 300
    add_to_admin_menu = False
    list_display = ["name", "country", "region", "size", "population"]
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
