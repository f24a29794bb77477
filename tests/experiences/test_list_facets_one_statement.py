"""The experience list counts its facets and its reports in one statement (#12): the same counts
as one aggregate per facet, the listed reports (with those not yet translated) worked out once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experiences.filters import FILTERS, apply_filters, facet_counts, filter_experiences, search_ids
from experiences.media import with_covers
from experiences.models import ExperienceIndexPage
from experiences.translation import listed_experiences, sibling_indexes

from .helpers import import_records, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comparable_lists_left_alone")]

PARAMS = [
    {},
    {"region": "south"},
    {"theme": "energy-climate"},
    {"theme": "energy-climate", "status": "completed"},
    {"tag": "fct-probe"},
    {"sdg": "7", "country": "FR"},
    {"q": "solar"},
]


def _index(language: str) -> ExperienceIndexPage:
    return ExperienceIndexPage.objects.live().get(locale__language_code=language)


def _one_aggregate_per_facet(base, params: dict[str, str]) -> tuple[dict[str, dict[str, int]], int]:
    """The counts as they were taken before: one aggregate query per facet, then the list's count."""
    ids = search_ids(None, params["q"]) if "q" in params else None
    counts = {name: facet_counts(apply_filters(base, params, exclude=name, ids=ids), name) for name in FILTERS}
    return counts, apply_filters(base, params, ids=ids).count()


@pytest.fixture
def untranslated(demo):
    """A French report with no English translation (listed, marked, in the English list) and an English one."""
    import_records(
        record("fct-fr-only", language="fr", city="Dakar", country="SN", themes=["energy-climate"], sdgs=[7],
               tags=["fct-probe", "solar"], status="completed", summary="Des kiosques solaires."),
        record("fct-en", city="Lyon", country="FR", themes=["energy-climate"], sdgs=[7, 11],
               tags=["fct-probe"], status="in_progress", summary="Solar roofs for schools."),
    )  # fmt: skip


def test_the_same_counts_as_one_aggregate_per_facet(untranslated):
    for language in ("en", "fr"):
        for params in PARAMS:
            _check(language, params)


def _check(language: str, params: dict[str, str]) -> None:
    index = _index(language)
    base = with_covers(listed_experiences(index, sibling_indexes(index)))
    expected, expected_total = _one_aggregate_per_facet(base, params)
    result = filter_experiences(params, None, language, base=base)
    for name in FILTERS:
        got = result.counts(name)
        selected = params.get(name)
        if selected and expected[name].get(selected) is None:
            expected[name][selected] = 0  # a selected value is always offered, with 0 when it finds nothing
        assert got == expected[name], (language, params, name)
        if name == "tag":  # the tag facet shows the most used: same ones, same order
            assert list(got) == list(expected[name])
    assert result.total == expected_total
    if "q" not in params:
        assert result.total == result.queryset.count()
    assert any(result.counts(name) for name in FILTERS)


def test_the_english_list_counts_the_french_report_not_yet_translated(untranslated):
    index = _index("en")
    base = listed_experiences(index, sibling_indexes(index))
    result = filter_experiences({"tag": "fct-probe"}, None, "en", base=base)
    assert result.total == 2
    assert result.counts("status") == {"completed": 1, "in_progress": 1}
    assert result.counts("country") == {"FR": 1, "SN": 1}


def test_facets_and_count_are_one_statement(client, untranslated, no_page_cache):
    from cooperation_hub import page_cache

    url = "/en/experiences/?theme=energy-climate"
    assert client.get(url).status_code == 200  # Wagtail's own caches
    page_cache.forget_all()  # a new generation, as after a publication: counted again
    with CaptureQueriesContext(connection) as cold:
        response = client.get(url)
    assert response.status_code == 200
    # What the first reader pays for the facets and the count: one statement, not one per facet.
    aggregates = [q["sql"] for q in cold.captured_queries if "GROUP BY" in q["sql"] or "COUNT(" in q["sql"]]
    assert len(aggregates) == 1
    facet_sql = [q["sql"] for q in cold.captured_queries if "hub_listed" in q["sql"]]
    assert len(facet_sql) == 1
    arms = facet_sql[0].split(" UNION ALL ")
    assert len(arms) == 8  # seven facets and the count
    # "Not yet translated" is worked out once, in the common table expression: no arm repeats it.
    assert all("translation_key" not in arm for arm in arms[1:])
    assert all("SELECT pk FROM hub_listed" in arm for arm in arms)
