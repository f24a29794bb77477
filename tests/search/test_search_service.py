"""One search over the network, on both backends: accents, stemming, phrases, filters, facets, visibility."""

import pytest
from django.contrib.auth import get_user_model

from contributions.models import ConsultationPage, Contribution
from experiences.models import ExperiencePage
from search.service import SearchParamsError, parse_params, run_search
from tests.search.conftest import refresh


def add_contribution(
    forget, *, title: str, body: str, language: str = "fr", state: str = "published", tags: tuple[str, ...] = ()
) -> Contribution:
    consultation = ConsultationPage.objects.live().filter(locale__language_code=language).first()
    author = get_user_model().objects.first() or get_user_model().objects.create_user(
        username="search-author", email="search-author@example.org", password="x-very-long-password"
    )
    contribution = Contribution.objects.create(
        consultation=consultation, author=author, title=title, body=body, language=language, state=state
    )
    if tags:
        contribution.tags.add(*tags)
        contribution.save()
    forget.append(contribution)
    refresh()
    return contribution


def titles(result) -> list[str]:
    return [hit.title for hit in result.hits]


def test_accents_and_case_do_not_matter(search_backend):
    for query in ("bethune", "BETHUNE", "Béthune"):
        result = run_search({"q": query}, "fr")
        assert result.backend == search_backend and not result.notice  # no silent fallback
        assert any("Béthune" in t for t in titles(result)), (query, titles(result))
    ecole = run_search({"q": "ecole"}, "fr")
    assert ecole.count > 0 and any("école" in (h.snippet + h.title).lower() for h in ecole.hits)


def test_french_plural_finds_singular(search_backend, forget_in_engine):
    add_contribution(
        forget_in_engine,
        title="Quiberzac et son école",
        body="Le projet de Quiberzac associe une école primaire et les familles.",
    )
    result = run_search({"q": "quiberzac écoles"}, "fr")
    assert "Quiberzac et son école" in titles(result)


def test_english_plural_finds_singular(search_backend, forget_in_engine):
    add_contribution(
        forget_in_engine,
        language="en",
        title="Quiberzac and its school",
        body="The Quiberzac project brings one primary school and the families together.",
    )
    result = run_search({"q": "Quiberzac schools", "lang": "en"}, "en")
    assert "Quiberzac and its school" in titles(result)
    english_demo = run_search({"q": "schools", "lang": "en"}, "en")
    assert english_demo.count > 0


def test_quoted_phrase_must_match_in_order(search_backend, forget_in_engine):
    add_contribution(
        forget_in_engine, title="Zelmorix partage", body="À Zelmorix, une école primaire ouvre ses portes."
    )
    assert "Zelmorix partage" in titles(run_search({"q": '"école primaire" zelmorix'}, "fr"))
    assert "Zelmorix partage" not in titles(run_search({"q": '"primaire école" zelmorix'}, "fr"))


def test_snippet_highlights_terms_and_escapes_html(search_backend, forget_in_engine):
    add_contribution(
        forget_in_engine, title="Vortalune", body="<script>alert(1)</script> Vortalune mise sur le compost."
    )
    hit = next(h for h in run_search({"q": "vortalune compost"}, "fr").hits if h.title == "Vortalune")
    assert "<mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert hit.type == "contribution" and hit.url.startswith("/fr/")


def test_a_contribution_hit_leads_to_its_own_page(search_backend, forget_in_engine, client):
    """Walked: hits led to the consultation's first page with an anchor no page of its listing
    had; a contribution past the first ten was not there."""
    contribution = add_contribution(forget_in_engine, title="Quillbrook", body="Quillbrook compost partagé.")
    hit = next(h for h in run_search({"q": "quillbrook"}, "fr").hits if h.title == "Quillbrook")
    assert hit.url.endswith(f"/contributions/{contribution.pk}/")
    assert "Quillbrook compost partagé" in client.get(hit.url).content.decode()


def test_a_contribution_hit_opens_on_the_consultation_in_the_readers_language(search_backend, forget_in_engine, client):
    """Walked: on the French search page, a contribution posted in English opened the English
    consultation, though the consultation reads in French too."""
    contribution = add_contribution(
        forget_in_engine, title="Brambleworth", body="Brambleworth shared compost.", language="en"
    )
    assert contribution.consultation.translation_pages().filter(locale__language_code="fr").exists()
    for reader in ("fr", "en"):
        hit = next(h for h in run_search({"q": "brambleworth", "lang": reader}, reader).hits)
        assert hit.url.startswith(f"/{reader}/") and hit.url.endswith(f"/contributions/{contribution.pk}/")
        assert "Brambleworth shared compost" in client.get(hit.url).content.decode()


@pytest.mark.parametrize("state", [Contribution.State.HIDDEN, Contribution.State.WITHDRAWN])
def test_hidden_or_withdrawn_contributions_are_never_found(search_backend, forget_in_engine, state):
    contribution = add_contribution(forget_in_engine, title="Plumquartz visible", body="Plumquartz à Lille.")
    assert "Plumquartz visible" in titles(run_search({"q": "plumquartz"}, "fr"))
    contribution.state = state
    contribution.save()
    refresh()
    assert "Plumquartz visible" not in titles(run_search({"q": "plumquartz"}, "fr"))
    assert run_search({"q": "plumquartz", "type": "contribution"}, "fr").count == 0
    hidden = add_contribution(forget_in_engine, title="Plumquartz caché", body="Plumquartz encore.", state=state)
    assert hidden.title not in titles(run_search({"q": "plumquartz"}, "fr"))


def test_only_live_experiences_in_the_requested_language(search_backend):
    result = run_search({"q": "", "type": "experience", "per_page": 100}, "en")
    assert result.hits and "en" in {h.language for h in result.hits}
    for hit in result.hits:
        found = ExperiencePage.objects.get(external_id=hit.external_id, locale__language_code=hit.language)
        assert found.live
        # Another language only for a report that has no live English translation.
        if hit.language != "en":
            assert (
                not ExperiencePage.objects.live()
                .filter(translation_key=found.translation_key, locale__language_code="en")
                .exists()
            ), hit.external_id
    ids = [h.external_id for h in result.hits]
    assert len(ids) == len(set(ids)), "one translation per report"
    live_en = ExperiencePage.objects.live().filter(locale__language_code="en").count()
    assert result.count >= live_en


def test_empty_query_lists_newest_first(search_backend):
    result = run_search({"q": "", "per_page": 50}, "fr")
    dates = [h.date for h in result.hits if h.date]
    assert result.count > 0 and dates == sorted(dates, reverse=True)


def test_filters_match_the_experience_list(search_backend):
    result = run_search({"sdg": "4", "type": "experience", "per_page": 100}, "en")
    assert result.count > 0
    for hit in result.hits:
        page = ExperiencePage.objects.get(external_id=hit.external_id, locale__language_code=hit.language)
        assert 4 in {s.number for s in page.sdgs.all()}
    france = run_search({"country": "fr", "per_page": 100}, "fr")
    assert france.count > 0 and {h.type for h in france.hits} == {"experience"}
    assert all(h.country == "FR" for h in france.hits)
    south = run_search({"region": "south", "size": "metropolis,large"}, "fr")
    assert south.count > 0 and south.facets["region"] == {"south": south.count}
    for hit in south.hits:
        page = ExperiencePage.objects.get(external_id=hit.external_id, locale__language_code=hit.language)
        assert page.city.region == "south" and page.city.size in {"metropolis", "large"}


def test_facets_count_and_combine(search_backend):
    everything = run_search({"q": ""}, "fr")
    assert everything.backend == search_backend
    assert sum(everything.facets["type"].values()) == everything.count
    assert set(everything.facets) == {"type", "theme", "sdg", "region", "country", "size", "status", "tag", "language"}
    theme, n = next(iter(everything.facets["theme"].items()))
    narrowed = run_search({"q": "", "theme": theme}, "fr")
    assert narrowed.count == n
    assert narrowed.facets["theme"][theme] == n
    both = run_search({"q": "", "theme": theme, "region": "north"}, "fr")
    assert both.count == narrowed.facets["region"].get("north", 0)
    with_query = run_search({"q": "ville"}, "fr")
    assert sum(with_query.facets["type"].values()) == with_query.count


def test_type_filter(search_backend):
    result = run_search({"q": "", "type": "consultation"}, "fr")
    assert result.count >= 1 and {h.type for h in result.hits} == {"consultation"}


def test_no_hits_says_so_and_suggests(search_backend):
    result = run_search({"q": "bethunne", "region": "south"}, "fr")
    assert result.count == 0
    assert result.suggestions and "bethune" in result.suggestions[0]


def test_typo_tolerance(search_backend):
    # The engine matches fuzzily; the database backend searches the confident spelling correction.
    assert any("Dubai" in t for t in titles(run_search({"q": "hapiness", "lang": "en"}, "en")))


def test_bad_parameters_are_reported():
    with pytest.raises(SearchParamsError) as exc:
        parse_params({"sdg": "abc", "theme": "nope", "country": "France", "lang": "de", "page": "x"})
    assert set(exc.value.errors) == {"sdg", "theme", "country", "lang", "page"}
