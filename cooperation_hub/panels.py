"""Admin panels of the site's own.

``InlinePanel`` writes its add button as Wagtail's "Add %(label)s", which Wagtail's French
catalogue renders "Ajouter un(e) ville partenaire": French needs the article of each
noun. ``LabelledInlinePanel`` takes the whole button text instead, e.g.
``add_label=_("Add a partner city")`` → "Ajouter une ville partenaire".

It also marks, in each row, the fields a draft cannot be stored without (a city to choose,
a figure's value: Wagtail defers "required" on a draft only where the database can hold a
blank). The editor's autosave waits while one of them is blank
(experiences/static/experiences/admin/autosave-gate.js): a row just added is not yet an
error, and autosave posted it to be refused, then paused."""

from typing import Any

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.utils.functional import Promise
from wagtail.admin.panels import InlinePanel

# The attribute autosave-gate.js looks for.
NEEDED_ON_SAVE = "data-autosave-needs"


def mark_needed_on_save(form: forms.BaseForm) -> None:
    """Mark the fields of an inline row a draft cannot be saved without: required, and not
    among those Wagtail lets a draft leave blank (``defer_required_on_fields``)."""
    deferred = set(getattr(getattr(form, "_meta", None), "defer_required_on_fields", None) or ())
    for name, field in form.fields.items():
        if field.required and name not in deferred and name not in (DELETION_FIELD_NAME, ORDERING_FIELD_NAME, "id"):
            field.widget.attrs[NEEDED_ON_SAVE] = ""


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

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            if self.form is not None:
                for child in [*self.children, self.empty_child]:
                    mark_needed_on_save(child.form)
