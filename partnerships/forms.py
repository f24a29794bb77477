from django import forms
from django.utils.translation import gettext_lazy as _

LIMIT = 2000


class OutcomeForm(forms.Form):
    """A short outcome: three answers; what changed is the one that may not be left out."""

    what_exchanged = forms.CharField(
        label=_("What was exchanged?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=LIMIT, required=False
    )
    what_changed = forms.CharField(
        label=_("What changed in your city?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=LIMIT
    )
    do_differently = forms.CharField(
        label=_("What would you do differently?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LIMIT,
        required=False,
    )
