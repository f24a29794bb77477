"""The engine is down: search still answers from the database, saves still work, reconciliation catches up."""

from django.contrib.auth import get_user_model

from contributions.models import ConsultationPage, Contribution
from search.engines.client import mark_up
from search.service import run_search
from tests.search.conftest import DATABASE, engine_config, refresh

CLOSED_PORT = "http://127.0.0.1:9"  # discard port: nothing listens on it here


def point_at_closed_port(settings) -> None:
    settings.WAGTAILSEARCH_BACKENDS = {"database": DATABASE, "default": engine_config(CLOSED_PORT, "hub_down_")}


def test_search_answers_from_the_database_with_a_notice(db, settings):
    point_at_closed_port(settings)
    result = run_search({"q": "bethune"}, "fr")
    assert result.backend == "database" and result.notice
    assert any("Béthune" in h.title for h in result.hits)
    from search.engines.client import engine_backend

    mark_up(engine_backend())


def test_api_and_page_never_500(db, settings, client):
    point_at_closed_port(settings)
    response = client.get("/api/search/?q=ecole&lang=fr")
    assert response.status_code == 200 and response.json()["count"] > 0
    assert response["X-Search-Notice"] == "engine-unavailable"
    page = client.get("/fr/search/?q=ecole")
    assert page.status_code == 200 and "search-notice" in page.content.decode()
    comparable = client.get("/api/experiences/schools-international-cooperation-montpellier/comparable/")
    assert comparable.status_code == 200 and comparable.json()["results"]


def test_saving_while_the_engine_is_down_works_and_reconciliation_catches_up(
    search_backend, settings, forget_in_engine
):
    engine_settings = settings.WAGTAILSEARCH_BACKENDS
    point_at_closed_port(settings)
    consultation = ConsultationPage.objects.live().filter(locale__language_code="fr").first()
    author = get_user_model().objects.first()
    contribution = Contribution.objects.create(
        consultation=consultation,
        author=author,
        language="fr",
        title="Grauvelin hors ligne",
        body="Grauvelin écrit pendant la panne.",
    )
    forget_in_engine.append(contribution)
    # The database index was updated at once: found even while the engine is down.
    assert "Grauvelin hors ligne" in [h.title for h in run_search({"q": "grauvelin"}, "fr").hits]
    settings.WAGTAILSEARCH_BACKENDS = engine_settings
    if search_backend == "engine":
        refresh()
        assert run_search({"q": "grauvelin"}, "fr").count == 0  # missed while down
        from django.core.management import call_command

        call_command("reconcile_search_index", "--backend", "default", verbosity=0)
        refresh()
        assert "Grauvelin hors ligne" in [h.title for h in run_search({"q": "grauvelin"}, "fr").hits]


def test_reconciliation_restores_a_missing_database_entry(settings, db, forget_in_engine):
    from django.core.management import call_command
    from modelsearch.conf import get_app_config

    from tests.search.conftest import database_backends

    settings.WAGTAILSEARCH_BACKENDS = database_backends()
    consultation = ConsultationPage.objects.live().filter(locale__language_code="fr").first()
    contribution = Contribution.objects.create(
        consultation=consultation,
        author=get_user_model().objects.first(),
        language="fr",
        title="Ostrevance perdue",
        body="Ostrevance et ses haies.",
    )
    get_app_config().get_model("IndexEntry").objects.filter(
        object_id=str(contribution.pk), content_type__model="contribution"
    ).delete()
    assert run_search({"q": "ostrevance"}, "fr").count == 0  # lost, as after a failed update
    call_command("reconcile_search_index", "--backend", "database", verbosity=0)
    assert "Ostrevance perdue" in [h.title for h in run_search({"q": "ostrevance"}, "fr").hits]
