"""Admin: the City snippet listing shows the facts editors check (side of the divide, size)."""

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
