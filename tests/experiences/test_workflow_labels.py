"""Walked as an officer and a reviewer (issue #15): the review workflow and its task were named
"Relecture avant publication / Review before publication" in both admin languages and in
Wagtail's workflow e-mails. They are stored in English and each person reads them in their
own admin language: the editor's submit button, its status panel, the dashboard, the e-mails."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from wagtail.users.models import UserProfile

from experiences import workflow_labels
from experiences.models import ExperiencePage
from experiences.publishing import OFFICERS, REVIEWERS

from .test_admin import user_in

BILINGUAL = re.compile(r"Relecture [^<\n]{0,40} / Review|Review before publication|Review by a reviewer")
FRENCH = re.compile(r"Relecture avant publication|Relecture par un relecteur")


def speaking(user, language: str):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def test_each_override_is_wagtails_template_with_only_the_names_relabelled():
    # Fails after a Wagtail upgrade changed one of them: `python -m experiences.workflow_labels`.
    for name in workflow_labels.OVERRIDDEN:
        ours = (workflow_labels.OUR_TEMPLATES / name).read_text()
        wagtails = (workflow_labels.WAGTAIL_TEMPLATES / name).read_text()
        assert ours == workflow_labels.relabel(wagtails), name
        assert "workflow_label" in ours, f"{name} shows no workflow or task name: drop its override"


@pytest.fixture
def submitted(client, demo):
    officer = speaking(user_in(OFFICERS, "labels-officer"), "fr")
    page = ExperiencePage.objects.filter(locale__language_code="fr", live=True).first()
    page.save_revision(user=officer)
    mail.outbox.clear()
    page.get_workflow().start(page, user=officer)
    return officer, page


@pytest.mark.django_db
def test_the_editor_names_the_review_in_the_officers_language(client, demo):
    officer = user_in(OFFICERS, "labels-editor")
    client.force_login(officer)
    page = ExperiencePage.objects.filter(locale__language_code="fr").first()
    for language, submit in (
        ("fr", "Soumettre à Relecture avant publication"),
        ("en", "Submit to Review before publication"),
    ):
        speaking(officer, language)
        html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
        assert submit in html
        assert "/ Review" not in html and "Relecture avant publication / " not in html
    assert not FRENCH.search(html)  # the English editor


@pytest.mark.django_db
def test_the_status_panel_and_dashboard_name_the_review_in_each_language(client, submitted):
    officer, page = submitted
    client.force_login(officer)
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Envoyé vers Relecture par un relecteur" in html
    assert "Relecture avant publication" in html  # the "View details" dialog's title
    assert not BILINGUAL.search(html), BILINGUAL.search(html)

    speaking(officer, "en")
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Sent to Review by a reviewer" in html
    assert not FRENCH.search(html), FRENCH.search(html)

    reviewer = speaking(user_in(REVIEWERS, "labels-reviewer-dash"), "fr")
    client.force_login(reviewer)
    dashboard = client.get("/admin/").content.decode()
    assert page.title in dashboard and not BILINGUAL.search(dashboard)


@pytest.mark.django_db
def test_the_workflow_e_mails_name_the_review_in_each_recipients_language(demo):
    User = get_user_model()
    officer = speaking(user_in(OFFICERS, "labels-mail-officer"), "en")
    french_reviewer = speaking(user_in(REVIEWERS, "labels-mail-fr"), "fr")
    english_reviewer = speaking(user_in(REVIEWERS, "labels-mail-en"), "en")
    page = ExperiencePage.objects.filter(locale__language_code="fr", live=True).first()
    page.save_revision(user=officer)
    mail.outbox.clear()
    state = page.get_workflow().start(page, user=officer)

    def to(user):
        found = [m for m in mail.outbox if user.email in m.to]
        assert found, [m.to for m in mail.outbox]
        return found

    for message in to(french_reviewer):  # "submitted" (task), and "submitted" (workflow) to superusers
        assert "Relecture par un relecteur" in message.subject + message.body
        assert not BILINGUAL.search(message.subject + message.body), message.body
    for message in to(english_reviewer):
        assert "Review by a reviewer" in message.subject + message.body
        assert not FRENCH.search(message.subject + message.body), message.body
    for superuser in User.objects.filter(is_superuser=True).exclude(email=""):
        text = "".join(m.subject + m.body for m in to(superuser))
        assert "Relecture /" not in text and " / Review" not in text

    # The reviewer asks for changes: the English-speaking officer reads why, in English.
    mail.outbox.clear()
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, french_reviewer, "reject", comment="Ajoutez les coûts.")
    rejection = to(officer)[0]
    assert 'during "Review by a reviewer" in workflow "Review before publication"' in rejection.body
    assert not FRENCH.search(rejection.subject + rejection.body)

    # Resubmitted, then approved: the French-speaking officer reads it in French.
    speaking(officer, "fr")
    state.refresh_from_db()
    state.resume(user=officer)
    mail.outbox.clear()
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, english_reviewer, "approve")
    approval = to(officer)[0]
    assert "Relecture avant publication" in approval.body and not BILINGUAL.search(approval.body)
