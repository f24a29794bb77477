"""Publishing: officers write, reviewers publish, through the review workflow."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import WorkflowState

from experiences.models import ExperienceIndexPage, ExperiencePage
from experiences.publishing import OFFICERS, REVIEWERS, WORKFLOW, ensure_review_setup

pytestmark = pytest.mark.django_db


def user_in(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-not-used-1234")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def draft_under(index: ExperienceIndexPage, officer) -> ExperiencePage:
    report = ExperiencePage.objects.filter(locale=index.locale).first()
    page = ExperiencePage(
        title="Officer's draft",
        slug="officers-draft",
        external_id="officers-draft",
        summary="Draft.",
        city=report.city,
        live=False,
        owner=officer,
        locale=index.locale,
    )
    index.add_child(instance=page)
    page.save_revision(user=officer)
    return page


def test_load_demo_leaves_groups_and_the_workflow_on_every_experiences_index(demo):
    assert Group.objects.filter(name__in=[OFFICERS, REVIEWERS]).count() == 2
    indexes = ExperienceIndexPage.objects.all()
    assert indexes.count() == 2
    for index in indexes:
        assert index.get_workflow().name == WORKFLOW
    report = ExperiencePage.objects.first()
    assert report.get_workflow().name == WORKFLOW
    task = report.get_workflow().tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [REVIEWERS]


def test_setup_is_idempotent(demo):
    ensure_review_setup()
    ensure_review_setup()
    from wagtail.models import GroupPagePermission, Workflow

    assert Workflow.objects.filter(name=WORKFLOW).count() == 1
    index = ExperienceIndexPage.objects.first()
    assert GroupPagePermission.objects.filter(page=index, group__name=OFFICERS).count() == 2


def test_an_officer_edits_but_cannot_publish_without_review(demo):
    officer = user_in(OFFICERS, "test-officer")
    index = ExperienceIndexPage.objects.get(locale__language_code="en")
    assert index.permissions_for_user(officer).can_add_subpage()
    page = draft_under(index, officer)
    permissions = page.permissions_for_user(officer)
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert officer.has_perm("wagtailadmin.access_admin")

    state = page.get_workflow().start(page, officer)
    page.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert page.workflow_in_progress
    assert not page.live


def test_a_reviewer_approves_and_the_report_goes_live(demo):
    officer = user_in(OFFICERS, "officer2")
    reviewer = user_in(REVIEWERS, "test-reviewer")
    index = ExperienceIndexPage.objects.get(locale__language_code="fr")
    page = draft_under(index, officer)
    assert page.permissions_for_user(reviewer).can_publish()
    state = page.get_workflow().start(page, officer)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.user_can_access_editor(page, reviewer)
    assert not task.get_actions(page, officer)  # the officer has nothing to approve
    task.on_action(task_state, reviewer, "approve")
    page.refresh_from_db()
    assert page.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_an_officer_cannot_publish_through_the_admin(client, demo):
    officer = user_in(OFFICERS, "officer3")
    index = ExperienceIndexPage.objects.get(locale__language_code="en")
    page = draft_under(index, officer)
    client.force_login(officer)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html


def test_an_officer_adds_a_city_and_geonames_fills_its_coordinates(client, demo):
    from experiences.models import City

    officer = user_in(OFFICERS, "officer4")
    client.force_login(officer)
    listing = client.get("/admin/snippets/experiences/city/", {"region": "south"})
    assert listing.status_code == 200 and "Curitiba" in listing.content.decode()
    response = client.post(
        "/admin/snippets/experiences/city/add/",
        {"name": "Chambéry", "country": "fr", "region_override": "", "population": "", "latitude": "", "longitude": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    city = City.objects.get(name="Chambéry", country="FR")
    assert city.latitude == pytest.approx(45.57, abs=0.1) and city.population > 20_000
    assert city.region == "north" and city.size == "medium"
