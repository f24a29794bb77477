import pycountry
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contributions.models import ConsultationPage
from cooperation_hub.forms import FocusFirstErrorMixin
from cooperation_hub.text import fold
from experiences import vocabulary
from experiences.models import City, SustainableDevelopmentGoal, Theme
from experiences.regions import country_name, is_country_code

from .models import Frequency


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace(";", ",").split(",") if part.strip()]


def country_choices(language: str) -> list[tuple[str, str]]:
    """Every ISO 3166-1 country as (alpha-2 code, name in ``language``), sorted by name."""
    choices = [(c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries]
    # "Émirats" sorts with the E's, as a reader expects, not after "Z".
    return sorted(choices, key=lambda choice: fold(choice[1]))


class CountriesField(forms.MultipleChoiceField):
    """Countries chosen by name in the page's language, stored as ISO codes.

    Also takes codes typed by hand ("sn, vn" in one value, as the form used to
    ask for), so that old bookmarks and scripts keep working."""

    widget = forms.SelectMultiple(attrs={"size": 8, "data-country-filter": ""})

    def to_python(self, value) -> list[str]:
        values = super().to_python(value)
        return [code.upper() for v in values for code in _split(v)]

    def validate(self, value: list[str]) -> None:
        unknown = [c for c in value if not is_country_code(c)]
        if unknown:
            raise forms.ValidationError(
                _("Unknown country code(s): %(codes)s. Use ISO codes such as FR or SN.")
                % {"codes": ", ".join(unknown)},
                code="invalid_choice",
            )


class PreferencesForm(FocusFirstErrorMixin, forms.Form):
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Themes")
    )
    sdgs = forms.ModelMultipleChoiceField(
        SustainableDevelopmentGoal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sustainable Development Goals"),
    )
    tags = forms.CharField(
        required=False,
        label=_("Tags"),
        max_length=500,
        help_text=_("Separated by commas, e.g. happiness index, composting."),
    )
    regions = forms.MultipleChoiceField(
        choices=[], required=False, widget=forms.CheckboxSelectMultiple, label=_("Regions")
    )
    countries = CountriesField(
        required=False,
        label=_("Countries"),
        help_text=_("Choose one or more countries. Without a choice, every country is included."),
    )
    consultations = forms.MultipleChoiceField(
        choices=[], required=False, widget=forms.CheckboxSelectMultiple, label=_("Consultations to follow")
    )
    city = forms.ModelChoiceField(
        City.objects.all(),
        required=False,
        label=_("Your city (optional)"),
        help_text=_("We suggest peer cities to work with."),
        empty_label=_("— none —"),
    )
    frequency = forms.ChoiceField(
        choices=Frequency.choices, initial=Frequency.WEEKLY, widget=forms.RadioSelect, label=_("How often")
    )
    language = forms.ChoiceField(
        choices=[("fr", "Français"), ("en", "English")], widget=forms.RadioSelect, label=_("Language of the e-mails")
    )
    nothing_new_note = forms.BooleanField(
        required=False, label=_("Send me a short note even when there is nothing new")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = (get_language() or "fr")[:2]
        self.fields["language"].initial = language
        self.fields["regions"].choices = [(t.slug, t.label) for t in vocabulary.REGIONS]
        self.fields["countries"].choices = country_choices(language)
        self.fields["consultations"].choices = [
            (str(key), title)
            for key, title in ConsultationPage.objects.visible_to_public()
            .filter(locale__language_code=language)
            .order_by("-opens_at")
            .values_list("translation_key", "title")
        ]

    def clean_tags(self) -> list[str]:
        return sorted({t.lower() for t in _split(self.cleaned_data["tags"])})

    def clean_countries(self) -> list[str]:
        return sorted(set(self.cleaned_data["countries"]))

    def preferences(self) -> dict:
        return dict(self.cleaned_data)

    @classmethod
    def initial_from(cls, subscription) -> dict:
        return {
            "themes": list(subscription.themes.all()),
            "sdgs": list(subscription.sdgs.all()),
            "tags": ", ".join(subscription.tags or []),
            "regions": subscription.regions,
            "countries": list(subscription.countries or []),
            "consultations": subscription.consultations,
            "city": subscription.city,
            "frequency": subscription.frequency,
            "language": subscription.language,
            "nothing_new_note": subscription.nothing_new_note,
        }


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)

    field_order = ["email"]

    def preferences(self) -> dict:
        prefs = super().preferences()
        prefs.pop("email", None)
        return prefs
