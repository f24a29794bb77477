from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import LexiconEntry


class LexiconEntryViewSet(SnippetViewSet):
    model = LexiconEntry
    icon = "globe"
    menu_label = _("Lexicon")
    list_display = ["french", "english", "enabled", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["french", "english"]
    add_to_admin_menu = False


register_snippet(LexiconEntryViewSet)
