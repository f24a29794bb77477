"""The forms of an exchange: proposing it, and each answer in its thread."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation_hub.forms import FocusFirstErrorMixin
from cooperation_hub.once import SubmissionTokenMixin
from experiences.models import City, Theme
from experiences.regions import is_country_code

from . import rules
from .models import EXCHANGE_LANGUAGES, ExchangeRequest


class ProposeForm(FocusFirstErrorMixin, SubmissionTokenMixin):
    target_city = forms.ModelChoiceField(
        City.objects.all(), label=_("City you propose an exchange to"), empty_label=_("— choose a city —")
    )
    requesting_city = forms.ModelChoiceField(
        City.objects.all(),
        label=_("Your city"),
        required=False,
        empty_label=_("— not listed: name it below —"),
    )
    new_city_name = forms.CharField(label=_("Your city, if it is not listed"), max_length=120, required=False)
    # Chosen by name in the page's language (choices set in __init__), stored as its ISO code.
    new_city_country = forms.CharField(label=_("Its country"), max_length=2, min_length=2, required=False)
    organisation = forms.CharField(label=_("Your organisation"), max_length=160)
    role = forms.CharField(label=_("Your role"), max_length=160)
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(),
        label=_("What you want to learn or share"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    report = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind of exchange"), choices=ExchangeRequest.Kind.choices, widget=forms.RadioSelect
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can work in"),
        choices=EXCHANGE_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who you are, what you would like to do together, and when."),
    )
    consent = forms.BooleanField(
        label=_("If the city accepts, my e-mail address may be shared with its contacts."),
        help_text=_("Nobody sees your address before both sides agree."),
    )

    def __init__(self, *args, **kwargs):
        from django.utils.translation import get_language

        from subscriptions.forms import country_choices

        super().__init__(*args, **kwargs)
        language = (get_language() or "fr")[:2]
        self.fields["new_city_country"].widget = forms.Select(
            choices=[("", _("— choose a country —")), *country_choices(language)]
        )

    def clean_new_city_country(self) -> str:
        country = (self.cleaned_data.get("new_city_country") or "").strip().upper()
        if country and not is_country_code(country):
            raise forms.ValidationError(_("Enter an ISO 3166-1 alpha-2 country code, e.g. SN."))
        return country

    def clean(self):
        data = super().clean()
        city, name = data.get("requesting_city"), (data.get("new_city_name") or "").strip()
        if city is None and not name:
            self.add_error("requesting_city", _("Choose your city, or name it if it is not listed."))
        elif city is None and not data.get("new_city_country") and "new_city_country" not in self.errors:
            self.add_error("new_city_country", _("Give the country of the city you named."))
        target = data.get("target_city")
        if city is not None and target is not None and city.pk == target.pk:
            self.add_error("target_city", _("Propose an exchange to another city than your own."))
        return data


class MessageForm(SubmissionTokenMixin):
    body = forms.CharField(label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class AcceptForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree to share my e-mail address with the requester."),
        help_text=_("Accepting shows both sides' contact details to each other, and to nobody else."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The requester reads it: say whom they could ask instead, if you know."),
    )


class MemberChoiceField(forms.ModelChoiceField):
    """A member, shown by the name other members know them by (never the e-mail address)."""

    def label_from_instance(self, obj) -> str:
        return obj.public_name


class HandOverForm(forms.Form):
    colleague = MemberChoiceField(queryset=None, label=_("Colleague"), empty_label=_("— choose a colleague —"))

    def __init__(self, *args, request: ExchangeRequest, user, **kwargs):
        super().__init__(*args, **kwargs)
        colleague = self.fields["colleague"]
        assert isinstance(colleague, MemberChoiceField)  # declared above; narrowed for the type checker
        colleague.queryset = rules.city_contacts(request.target_city_id).exclude(pk=user.pk)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
