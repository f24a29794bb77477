"""A refused form puts the cursor in its first field to correct (cooperation_hub/forms.py): on a phone,
a form at the foot of a consultation showed its errors several screens below the top it reopened at."""

from django import forms

from contributions.forms import ReplyForm
from cooperation_hub.forms import FocusFirstErrorMixin


class _Form(FocusFirstErrorMixin, forms.Form):
    secret = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField()
    email = forms.EmailField()


def test_the_first_visible_field_in_error_has_the_focus():
    form = _Form(data={"secret": "", "name": "", "email": "not an address"})
    assert not form.is_valid()
    html = str(form)
    assert 'name="name"' in html and html.count("autofocus") == 1
    assert "autofocus" in str(form["name"]) and "autofocus" not in str(form["email"])


def test_an_unbound_or_valid_form_takes_no_focus():
    assert "autofocus" not in str(_Form())
    valid = _Form(data={"secret": "x", "name": "Ana", "email": "ana@example.org"})
    assert valid.is_valid() and "autofocus" not in str(valid)


def test_an_empty_reply_focuses_its_text():
    form = ReplyForm(data={"body": ""})
    assert not form.is_valid()
    assert "autofocus" in str(form["body"])
