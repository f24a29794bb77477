"""The consultation's admin form: a window can be entered as whole days."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from . import rules


class ConsultationPageForm(WagtailAdminPageForm):
    """Either exact instants, or dates: "from 23 Feb 2018 to 31 Dec 2019" then
    means from the first minute of the first day to the last minute of the
    last day, in the consultation's time zone (a one-day window is allowed)."""

    opens_on = forms.DateField(
        label=_("first day"),
        required=False,
        help_text=_("Optional. The window opens at the start of this day (consultation's time zone)."),
    )
    closes_on = forms.DateField(
        label=_("last day (included)"),
        required=False,
        help_text=_(
            "Optional. The window stays open until the end of this day (consultation's time zone); "
            "it may be the first day. Dates take precedence over the instants below."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The instants may be left empty when dates are given.
        for name in ("opens_at", "closes_at"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        tz_name = cleaned.get("timezone_name") or "Europe/Paris"
        if tz_name not in available_timezones():
            self.add_error("timezone_name", _("Unknown time zone, e.g. Europe/Paris or Africa/Dakar."))
            tz_name = "Europe/Paris"
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on:
            if closes_on < opens_on:
                self.add_error("closes_on", _("The last day cannot come before the first day."))
            else:
                cleaned["opens_at"], cleaned["closes_at"] = rules.window_instants(opens_on, closes_on, tz_name)
        elif opens_on or closes_on:
            self.add_error("closes_on" if opens_on else "opens_on", _("Give both days, or neither."))
        for name in ("opens_at", "closes_at"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("Give this instant, or the first and last days above."))
        error = rules.window_error(cleaned.get("opens_at"), cleaned.get("closes_at"))
        if error and "closes_at" not in self.errors:
            self.add_error("closes_at", error)
        return cleaned
