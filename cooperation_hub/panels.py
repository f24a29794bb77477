"""Admin panels of the site's own.

``InlinePanel`` writes its add button as Wagtail's "Add %(label)s", which Wagtail's French
catalogue renders "Ajouter un(e) ville partenaire": French needs the article of each
noun. ``LabelledInlinePanel`` takes the whole button text instead, e.g.
``add_label=_("Add a partner city")`` → "Ajouter une ville partenaire"."""

from typing import Any

from django.utils.functional import Promise
from wagtail.admin.panels import InlinePanel


class LabelledInlinePanel(InlinePanel):
    def __init__(self, *args: Any, add_label: str | Promise = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self) -> dict[str, Any]:
        kwargs = super().clone_kwargs()
        kwargs["add_label"] = self.add_label
        return kwargs

    class BoundPanel(InlinePanel.BoundPanel):
        # Wagtail's template with only its add button's text replaced.
        template_name = "cooperation_hub/admin/inline_panel.html"
