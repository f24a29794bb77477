"""Comparable projects compare concepts, not only words (#17): a French report's comparable projects
include English-only reports, and the reasons name what they share in the reader's language."""

import pytest

from experiences.models import ExperiencePage
from search.comparable import comparable_projects
from tests.experiences.helpers import import_records, record
from tests.search.conftest import refresh

REPORTS = [
    record("xc-brest-cable", language="fr", city="Brest", country="FR", themes=["mobility-transport"],
           title="Brest : le premier téléphérique urbain de France",
           summary="Le téléphérique relie les deux rives et complète les transports en commun de la ville."),
    record("xc-medellin-cable", language="en", city="Medellín", country="CO", themes=["mobility-transport"],
           title="Medellín's Metrocable: aerial cable cars linking hillside neighbourhoods",
           summary="Gondola lines connect informal settlements to the metro and to public transport."),
]  # fmt: skip


@pytest.fixture
def reports(search_backend, demo):
    import_records(*REPORTS)
    refresh()
    return {p.external_id: p for p in ExperiencePage.objects.live().filter(external_id__startswith="xc-")}


@pytest.mark.parametrize(("source", "lang", "target", "reason"), [
    ("xc-brest-cable", "fr", "xc-medellin-cable", "Sujets communs\u00a0: téléphérique"),
    ("xc-medellin-cable", "en", "xc-brest-cable", "Shared subjects: cable car"),
])  # fmt: skip
def test_a_report_in_the_other_language_is_comparable_for_the_concepts_they_share(
    reports, source, lang, target, reason
):
    items = {i.page.external_id: i for i in comparable_projects(reports[source], lang)}
    assert target in items, list(items)
    reasons = items[target].reasons
    assert any(r.startswith(reason) and "transport" in r for r in reasons), reasons


def test_the_api_names_the_shared_concepts_in_the_readers_language(reports, client):
    answer = client.get("/api/experiences/xc-brest-cable/comparable/", {"lang": "en"}).json()
    reasons = {r["external_id"]: r["reasons"] for r in answer["results"]}
    assert any(r.startswith("Shared subjects: cable car") for r in reasons["xc-medellin-cable"]), reasons
