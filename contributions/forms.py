"""The forms a contributor fills in. Validation only: the window, ownership
and rate limits are decided in rules.py / ratelimit.py and applied by views."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cooperation_hub.forms import FocusFirstErrorMixin
from cooperation_hub.once import SubmissionTokenMixin

from .models import ConsultationPage, NotificationPreference
from .sanitize import clean_html, to_text

MAX_TAGS = 8
MAX_TAG_LENGTH = 50
TITLE_MAX = 200
BODY_MIN, BODY_MAX = 20, 10_000
REPLY_MAX = 5_000
REASON_MIN, REASON_MAX = 5, 1_000


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by keyboard and screen
    readers) and bots fill in."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())


def parse_tags(value: str) -> list[str]:
    """Comma-separated tags, trimmed, without duplicates (case-insensitive)."""
    seen, tags = set(), []
    for raw in (value or "").split(","):
        tag = " ".join(raw.split())
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags


class ContributionForm(FocusFirstErrorMixin, SubmissionTokenMixin, HoneypotMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Your contribution"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "data-editor": "contribution"}),
        help_text=_(
            "The toolbar above the text sets bold, italic, lists and links. A blank line starts a new "
            "paragraph; without the toolbar, bold, italic, lists and links (http, https, mailto) typed as HTML are kept."
        ),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separated by commas: pick suggestions or add your own (at most %(n)s).") % {"n": MAX_TAGS},
    )
    section = forms.ChoiceField(label=_("Section"), required=False)

    def __init__(self, *args, consultation: ConsultationPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        # Here, not on the class: "%" would translate it once, at import, in whatever language was active.
        self.fields["tags"].help_text = _("Separated by commas: pick suggestions or add your own (at most %(n)s).") % {
            "n": MAX_TAGS
        }
        sections = list(consultation.sections.all())
        section_field = self.fields["section"]
        assert isinstance(section_field, forms.ChoiceField)  # declared above; narrowed for the type checker
        section_field.choices = [("", _("— none —"))] + [(str(s.pk), s.title) for s in sections]
        self._sections = {str(s.pk): s for s in sections}
        if not sections:
            section_field.widget = forms.HiddenInput()
        self.suggested_tags = [t.name for t in consultation.suggested_tags.all()]

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_body(self) -> str:
        html = clean_html(self.cleaned_data["body"])
        if len(to_text(html)) < BODY_MIN:
            raise forms.ValidationError(
                _("Please write at least %(n)s characters.") % {"n": BODY_MIN}, code="too_short"
            )
        if len(html) > BODY_MAX:
            raise forms.ValidationError(_("This text is too long once formatted."), code="too_long")
        return html

    def clean_tags(self) -> list[str]:
        tags = parse_tags(self.cleaned_data.get("tags", ""))
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(_("At most %(n)s tags, please.") % {"n": MAX_TAGS})
        if any(len(t) > MAX_TAG_LENGTH for t in tags):
            raise forms.ValidationError(_("A tag is at most %(n)s characters long.") % {"n": MAX_TAG_LENGTH})
        return tags

    def clean_section(self):
        value = self.cleaned_data.get("section") or ""
        return self._sections.get(value)


class ReplyForm(FocusFirstErrorMixin, SubmissionTokenMixin, HoneypotMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_MAX,
        min_length=2,
        widget=forms.Textarea(attrs={"rows": 4, "data-editor": "reply"}),
    )

    def clean_body(self) -> str:
        html = clean_html(self.cleaned_data["body"])
        if not to_text(html):
            raise forms.ValidationError(_("The reply is empty."))
        return html


class ReportForm(FocusFirstErrorMixin, HoneypotMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why should moderators look at this contribution?"),
        min_length=REASON_MIN,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyReportForm(ReportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why should moderators look at this reply?")


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit trail)"),
        min_length=REASON_MIN,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProfileForm(forms.ModelForm):
    email_on_reply = forms.BooleanField(label=_("E-mail me when someone replies to my contributions"), required=False)

    class Meta:
        model = get_user_model()
        fields = ["display_name", "city", "organisation", "language"]
        labels = {
            "display_name": _("Display name"),
            "city": _("City"),
            "organisation": _("Organisation"),
            "language": _("Preferred language"),
        }
        help_texts = {"display_name": _("Shown with your contributions, with your city and organisation.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["email_on_reply"].initial = NotificationPreference.wants_reply_emails(self.instance)

    def clean_display_name(self) -> str:
        from .display_names import clean_display_name

        return clean_display_name(self.cleaned_data["display_name"], user=self.instance)

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            NotificationPreference.objects.update_or_create(
                user=user, defaults={"email_on_reply": self.cleaned_data["email_on_reply"]}
            )
        return user
