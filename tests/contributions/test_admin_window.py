"""The consultation's window in the Wagtail admin: dates count whole days,
and a closing before the opening is refused."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from contributions.models import ConsultationIndexPage, ConsultationPage


def _form(consultation, **data):
    form_class = ConsultationPage.get_edit_handler().get_form_class()
    base = {
        "title": consultation.title,
        "slug": consultation.slug,
        "question": consultation.question,
        "introduction": '{"blocks": [{"key": "a", "type": "unstyled", "text": "Intro", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        "timezone_name": "Europe/Paris",
        "suggested_tags": "",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    base.update(data)
    parent = ConsultationIndexPage.objects.get(locale=consultation.locale)
    return form_class(base, instance=consultation, parent_page=parent)


@pytest.mark.django_db
def test_dates_entered_in_the_admin_become_a_window_including_the_whole_last_day(consultation):
    form = _form(consultation, opens_on="2018-02-23", closes_on="2019-12-31")
    assert form.is_valid(), form.errors
    page = form.save(commit=False)
    paris = ZoneInfo("Europe/Paris")
    assert page.opens_at == datetime(2018, 2, 23, tzinfo=paris)
    assert page.closes_at == datetime(2020, 1, 1, tzinfo=paris)


@pytest.mark.django_db
def test_a_one_day_window_can_be_entered_in_the_admin(consultation):
    form = _form(consultation, opens_on="2019-05-02", closes_on="2019-05-02", timezone_name="Africa/Dakar")
    assert form.is_valid(), form.errors
    page = form.save(commit=False)
    assert (page.closes_at - page.opens_at).total_seconds() == 86400


@pytest.mark.django_db
def test_the_admin_refuses_a_closing_before_the_opening(consultation):
    form = _form(consultation, opens_at="2019-05-02 10:00", closes_at="2019-05-01 10:00")
    assert not form.is_valid()
    assert "closes_at" in form.errors
    form = _form(consultation, opens_on="2019-05-02", closes_on="2019-05-01")
    assert not form.is_valid()
    assert "closes_on" in form.errors


@pytest.mark.django_db
def test_the_admin_edit_page_of_a_consultation_shows_the_window_fields(client, consultation, moderator):
    client.force_login(moderator)
    response = client.get(f"/admin/pages/{consultation.pk}/edit/")
    assert response.status_code == 200
    for name in ("opens_on", "closes_on", "opens_at", "closes_at"):
        assert f'name="{name}"' in response.content.decode()
