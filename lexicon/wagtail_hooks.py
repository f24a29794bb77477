from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .lexicon import expand
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


@hooks.register("experiences_linked_tags")
def linked_tag_labels(values: list[str]) -> list[str]:
    """The translations of tag names or slugs ("transport-public": "public transport"), lower-case as
    tags are compared: a tag and its translation are one concept with two labels (#17)."""
    phrases = [value.replace("-", " ") for value in values]
    return [label.lower() for labels in expand(phrases).values() for label in labels]
