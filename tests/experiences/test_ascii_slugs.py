"""Walked as an officer (issue #15): a new report titled "Toits végétalisés à Béthune" got the
address "toits-végétalisés-à-béthune", which the workflow e-mails showed percent-encoded
("toits-v%C3%A9g%C3%A9talis%C3%A9s-%C3%A0-b%C3%A9thune"). Addresses are ASCII now, as on
most French sites, transliterated from the title."""

import pytest
from django.core import mail
from django.utils import translation

from experiences.models import ExperiencePage
from experiences.publishing import REVIEWERS

from .test_admin import add_url, browser_post_data, form_errors, officer, user_in  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_new_report_gets_a_readable_address_in_the_approval_e_mail(client, officer, settings):  # noqa: F811
    settings.WAGTAILADMIN_BASE_URL = "https://hub.example.org"
    from experiences.models import City

    form = client.get(add_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    data = browser_post_data(
        form,
        title="Toits végétalisés à Béthune",
        summary="Des toits plantés.",
        city=str(City.objects.get(name="Béthune").pk),
        **{"action-submit": "Soumettre"},
    )
    response = client.post(add_url(), data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302, form_errors(response)
    page = ExperiencePage.objects.get(title="Toits végétalisés à Béthune")
    assert page.slug == "toits-vegetalises-a-bethune"

    reviewer = user_in(REVIEWERS, "slug-reviewer")
    mail.outbox.clear()
    task_state = page.current_workflow_state.current_task_state
    with translation.override("fr"):
        task_state.task.specific.on_action(task_state, reviewer, "approve")
    to_officer = [m for m in mail.outbox if officer.email in m.to]
    assert to_officer, [m.to for m in mail.outbox]
    html = [content for content, kind in to_officer[0].alternatives if kind == "text/html"]
    for part in (to_officer[0].body, *html):
        assert "/toits-vegetalises-a-bethune/" in part
        assert "%C3" not in part


def test_a_hand_typed_slug_is_transliterated_by_the_editor_not_stripped(client, officer):  # noqa: F811
    page = ExperiencePage.objects.filter(locale__language_code="fr").first()
    html = client.get(f"/admin/pages/{page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "blur-&gt;w-slug#urlify" in html or "blur->w-slug#urlify" in html
    assert "blur-&gt;w-slug#slugify" not in html and "blur->w-slug#slugify" not in html
