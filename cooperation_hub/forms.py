"""What every public form of the site shares."""

from typing import Any

from django import forms


class FocusFirstErrorMixin(forms.Form):
    """After a refused submission, the first field to correct has the focus (``autofocus``): the
    browser puts the cursor there and scrolls to it. On a phone the page opens at its top, and a
    form at the foot of a consultation showed its errors several screens below, out of sight."""

    def full_clean(self) -> Any:
        result = super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is not None and not field.widget.is_hidden:
                field.widget.attrs["autofocus"] = True
                break
        return result
