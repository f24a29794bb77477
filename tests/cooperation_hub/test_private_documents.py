"""A document is public when a page visible to the public links to it: one attached
to a draft or to a private report is neither listed by /api/v2/documents/ nor
served to the public (issue #11, item 8)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Locale

from experiences.models import City, ExperienceIndexPage, ExperiencePage
from tests.privacy import PRIVATE_REPORT, make_private

pytestmark = pytest.mark.django_db


def _document(title: str) -> Document:
    document = Document(title=title)
    document.file.save(f"{title.lower().replace(' ', '-')}.txt", ContentFile(b"Figures of the pilot."), save=False)
    document.save()
    return document


def _body_linking(document: Document) -> str:
    return json.dumps([{"type": "document", "value": {"document": document.pk, "title": document.title}}])


def _listed(client) -> set[str]:
    response = client.get("/api/v2/documents/?limit=20")
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def _served(client, document: Document) -> int:
    return client.get(document.url).status_code


@pytest.fixture
def report(demo) -> ExperiencePage:
    """The public English report, a document added to its story and published."""
    page = ExperiencePage.objects.get(external_id=PRIVATE_REPORT, locale__language_code="en")
    page.body = _body_linking(_document("Published figures"))
    page.save_revision().publish()
    return ExperiencePage.objects.get(pk=page.pk)


@pytest.fixture
def draft(demo) -> ExperiencePage:
    index = ExperienceIndexPage.objects.get(locale__language_code="en")
    page = ExperiencePage(
        title="Draft with an annex",
        slug="draft-with-an-annex",
        external_id="draft-with-an-annex",
        summary="Not yet reviewed.",
        city=City.objects.first(),
        locale=Locale.objects.get(language_code="en"),
        live=False,
        body=_body_linking(_document("Draft annex")),
    )
    index.add_child(instance=page)
    page.save_revision()
    return page


def test_a_document_of_a_public_report_is_listed_and_served(client, report):
    published = Document.objects.get(title="Published figures")
    assert "Published figures" in _listed(client)
    response = client.get(published.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"Figures of the pilot."


def test_a_document_of_a_draft_is_neither_listed_nor_served(client, report, draft):
    annex = Document.objects.get(title="Draft annex")
    assert _listed(client) == {"Published figures"}
    assert client.get(f"/api/v2/documents/{annex.pk}/").status_code == 404
    assert _served(client, annex) == 404
    # Its editors still open it (preview of the draft).
    admin = get_user_model().objects.create_superuser("docadmin", "docadmin@example.org", "a-long-test-password-42")
    client.force_login(admin)
    assert _served(client, annex) == 200


def test_a_document_only_a_private_report_links_to_is_private(client, report):
    published = Document.objects.get(title="Published figures")
    restriction = make_private(report)
    assert "Published figures" not in _listed(client)
    assert _served(client, published) == 404
    # A reader who gave the report's password reads the report and its document.
    action = f"/en/_util/authenticate_with_password/{restriction.pk}/{report.pk}/"
    client.post(action, {"password": "not-for-everyone", "return_url": report.url})
    assert _served(client, published) == 200
    assert "Published figures" not in _listed(client)  # listings are the same for everyone
