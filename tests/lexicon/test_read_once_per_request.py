"""A search or a report page checks the lexicon in force once, however many words it looks up."""

import pytest

from lexicon import lexicon

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


@pytest.fixture
def generation_reads(monkeypatch) -> list[int]:
    reads: list[int] = []
    real = lexicon.generation

    def counted() -> str | None:
        reads.append(1)
        return real()

    monkeypatch.setattr(lexicon, "generation", counted)
    return reads


@pytest.mark.parametrize("url", [
    "/api/search/?q=cable+car+hillside+gondola+tramway&lang=en",
    "/fr/search/?q=jumelage+des+villes+et+logements+sociaux",
    "/api/search/autocomplete/?q=t%C3%A9l%C3%A9ph&lang=fr",
])  # fmt: skip
def test_one_check_of_the_shared_generation_per_request(client, generation_reads, url):
    assert client.get(url).status_code == 200
    # The lexicon's, and the kept answer's key (search/answers.py); it was 45 and 80 for the two searches below.
    assert len(generation_reads) <= 2


def test_a_report_page_working_out_its_comparable_projects_checks_it_once(client, generation_reads):
    from experiences.models import ExperiencePage
    from search.models import ComparableList

    page = ExperiencePage.objects.live().filter(locale__language_code="en").first()
    ComparableList.objects.filter(source=page).delete()  # worked out on the fly, text concepts included
    assert client.get(page.url).status_code == 200
    assert len(generation_reads) <= 1


def test_a_pair_changed_within_a_request_is_seen_by_the_rest_of_it():
    from cooperation_hub.request_memo import kept_within

    with kept_within():
        before = lexicon.current()
        lexicon.bump_generation()
        assert lexicon.current() is not before or lexicon.generation() is None
