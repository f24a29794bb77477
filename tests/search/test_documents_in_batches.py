"""An index rebuild writes the engine's documents a chunk at a time (search/engines/base.py):
what each document reads is loaded for the whole chunk (``load_for_documents``), in a number of
queries that does not grow with the chunk, and every document is the one built on its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contributions.models import ConsultationPage, Contribution
from experiences.models import ExperiencePage
from search.documents import document_for, load_for_documents
from tests.privacy import make_private, make_report_private

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]
MODELS = (ExperiencePage, ConsultationPage, Contribution)


def _fresh(model, count: int | None = None) -> list:
    objects = model.objects.order_by("pk")
    return list(objects[:count] if count else objects)


def test_each_document_is_the_one_built_on_its_own():
    make_report_private()  # invisible documents and fewer languages for their group
    consultation = ConsultationPage.objects.live().filter(locale__language_code="en").first()
    make_private(consultation)  # its contributions: invisible
    for model in MODELS:
        alone = [document_for(obj) for obj in _fresh(model)]
        batch = _fresh(model)
        load_for_documents(batch)
        assert [document_for(obj) for obj in batch] == alone, model
        assert any(doc and not doc["hub_visible"] for doc in alone), f"no invisible {model.__name__}: nothing proved"


@pytest.mark.parametrize("model", MODELS)
def test_a_chunk_costs_the_same_queries_whatever_its_size(model):
    def cost(count: int) -> int:
        objects = _fresh(model, count)
        with CaptureQueriesContext(connection) as queries:
            load_for_documents(objects)
            for obj in objects:
                document_for(obj)
        return len(queries)

    cost(1)  # the site's root paths, kept in the cache afterwards
    assert model.objects.count() > 2
    assert cost(1) == cost(None)
