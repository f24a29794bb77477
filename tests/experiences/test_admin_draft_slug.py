"""Walked as an officer: autosave creates the draft while the officer is still typing; every
later save of that never-published draft posts the slug the editor's script keeps copying from
the title. If another report (often the officer's own earlier, abandoned attempt) has that
title, "Save draft" answered with a slug error on the Promote tab and autosave paused."""

import pytest

from experiences.models import ExperiencePage

from .test_admin import browser_post_data, create_through_the_admin, form_errors, officer  # noqa: F401

pytestmark = pytest.mark.django_db

BASE = "des-jardins-partages-sur-les-toits"  # what the script derives: ASCII slugs


def _edit(client, page: ExperiencePage, **values):
    url = f"/admin/pages/{page.pk}/edit/"
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert form.status_code == 200
    data = browser_post_data(form.content.decode(), **values)
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr")


def test_saving_a_draft_whose_title_another_report_has_keeps_its_free_slug(client, officer):  # noqa: F811
    create_through_the_admin(client, {}, slug=BASE)  # an earlier draft with this title
    create_through_the_admin(client, {}, slug=BASE)  # autosave creates the new one: slug "-2"
    draft = ExperiencePage.objects.get(slug=f"{BASE}-2")
    response = _edit(client, draft, slug=BASE, summary="Trois toits cultivés, un quatrième prévu.")
    assert response.status_code == 302, form_errors(response)
    draft.refresh_from_db()
    assert draft.slug == f"{BASE}-2"
    assert draft.get_latest_revision_as_object().summary == "Trois toits cultivés, un quatrième prévu."


def test_a_published_report_given_a_taken_slug_is_still_refused(client, officer):  # noqa: F811
    create_through_the_admin(client, {}, slug=BASE)
    create_through_the_admin(client, {}, slug=BASE)
    page = ExperiencePage.objects.get(slug=f"{BASE}-2")
    page.save_revision().publish()
    response = _edit(client, page, slug=BASE)
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
