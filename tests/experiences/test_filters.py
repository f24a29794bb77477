"""The list's filters, alone and combined, and their counts (experiences/filters.py)."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from experiences.filters import filter_experiences, parse_filters, url_with
from experiences.models import ExperiencePage

pytestmark = pytest.mark.django_db


def run(query: str = "", base_ids: list[str] | None = None, **kwargs):
    locale = Locale.objects.get(language_code="en")
    base = ExperiencePage.objects.live().filter(locale=locale, external_id__startswith="flt-")
    if base_ids is not None:
        base = base.filter(external_id__in=base_ids)
    return filter_experiences(QueryDict(query), locale, "en", base=base, **kwargs)


def ids(result) -> set[str]:
    return {page.external_id.removeprefix("flt-") for page in result.queryset}


ALL = {"dakar-solar", "lyon-bikes", "cahors-market", "hue-heritage", "dubai-happiness", "annecy-lake"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("theme=energy-climate", {"dakar-solar", "lyon-bikes", "annecy-lake"}),
        ("sdg=11", {"dakar-solar", "lyon-bikes", "hue-heritage", "dubai-happiness"}),
        ("country=FR", {"lyon-bikes", "cahors-market", "annecy-lake"}),
        ("country=fr", {"lyon-bikes", "cahors-market", "annecy-lake"}),
        ("region=south", {"dakar-solar", "hue-heritage", "dubai-happiness"}),
        ("size=small", {"cahors-market"}),
        ("size=metropolis", {"dakar-solar", "dubai-happiness"}),
        ("status=completed", {"dakar-solar", "hue-heritage", "annecy-lake"}),
        ("tag=schools", {"dakar-solar", "cahors-market"}),
        ("tag=happiness-index", {"dubai-happiness"}),
        ("tag=Happiness index", {"dubai-happiness"}),
        ("q=happiness", {"dubai-happiness"}),
        ("q=solar kiosks", {"dakar-solar"}),
    ],
)
def test_each_filter_alone(world, query, expected):
    assert ids(run(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=energy-climate&region=north", {"lyon-bikes", "annecy-lake"}),
        ("theme=energy-climate&region=north&status=completed", {"annecy-lake"}),
        ("sdg=11&country=FR", {"lyon-bikes"}),
        ("tag=schools&region=south&sdg=7", {"dakar-solar"}),
        ("region=south&size=metropolis&status=in_progress", {"dubai-happiness"}),
        ("q=happiness&region=north", set()),
        ("theme=food-consumption&size=metropolis", set()),
    ],
)
def test_filters_combine(world, query, expected):
    assert ids(run(query)) == expected


def test_counts_per_value_with_no_filter(world):
    result = run("")
    assert result.counts("theme") == {
        "habitat-environment": 1, "mobility-transport": 1, "food-consumption": 1, "leisure-culture": 1,
        "health-wellbeing": 1, "energy-climate": 3, "digital-governance": 1,
    }  # fmt: skip
    assert result.counts("sdg") == {"2": 1, "3": 1, "6": 1, "7": 1, "11": 4, "12": 1, "13": 1}
    assert result.counts("country") == {"FR": 3, "SN": 1, "VN": 1, "AE": 1}
    assert result.counts("region") == {"north": 3, "south": 3}
    assert result.counts("size") == {"small": 1, "large": 3, "metropolis": 2}
    assert result.counts("status") == {"planned": 1, "in_progress": 2, "completed": 3}
    assert result.counts("tag")["schools"] == 2
    assert list(result.counts("sdg")) == ["2", "3", "6", "7", "11", "12", "13"]


def test_counts_follow_the_other_filters_and_say_what_choosing_a_value_gives(world):
    result = run("region=north&theme=energy-climate")
    # Region counts ignore the region filter: choosing "south" would give Dakar only.
    assert result.counts("region") == {"north": 2, "south": 1}
    # Theme counts ignore the theme filter but respect the region.
    assert result.counts("theme") == {
        "habitat-environment": 1, "mobility-transport": 1, "food-consumption": 1, "energy-climate": 2,
    }  # fmt: skip
    assert result.counts("status") == {"in_progress": 1, "completed": 1}
    for name, expected in result.counts("status").items():
        assert len(ids(run(f"region=north&theme=energy-climate&status={name}"))) == expected


def test_a_selected_value_links_to_its_removal_and_the_others_replace_it(world):
    result = run("theme=energy-climate&region=north")
    region = result.facets_by_name["region"]
    north = next(v for v in region.values if v.value == "north")
    south = next(v for v in region.values if v.value == "south")
    assert north.selected and north.url == "?theme=energy-climate"
    assert not south.selected and south.url == "?theme=energy-climate&region=south"
    assert [a.name for a in result.active] == ["theme", "region"]
    assert result.active[0].remove_url == "?region=north"


def test_unknown_values_are_ignored_and_reported():
    filters, ignored = parse_filters(QueryDict("theme=space&sdg=18&country=XX&region=east&size=huge&status=x&tag=ok"))
    assert filters == {"tag": "ok"}
    assert set(ignored) == {"theme", "sdg", "country", "region", "size", "status"}


def test_sorting(world):
    by_title = [p.external_id for p in run("sort=title").queryset]
    assert by_title == sorted(by_title, key=lambda e: run("").queryset.get(external_id=e).title)
    newest = list(run("sort=newest").queryset)
    assert [p.first_published_at for p in newest] == sorted((p.first_published_at for p in newest), reverse=True)
    assert run("q=happiness").sort == "relevance"
    assert run("").sort == "newest"
    assert run("sort=relevance").sort == "newest"  # no query, no relevance


def test_titles_sort_a_to_z_as_a_reader_reads_them_whatever_the_collation(world):
    from tests.experiences.helpers import import_records, record

    titles = {
        "flt-wuhan": "Wuhan: classes twinned with Grenoble",
        "flt-ecoles": "Écoles de Montpellier : la ville apprenante",
        "flt-quoted": "« Annecy » lake, cleaned by its residents",
        "flt-lower": "abattoirs turned into a market in Cahors",
        "flt-oeuvre": "Œuvres d'art in the streets of Hué",
    }
    import_records(*(record(external_id, title=title) for external_id, title in titles.items()))
    by_title = [p.external_id for p in run("sort=title").queryset if p.external_id in titles]
    assert by_title == ["flt-lower", "flt-quoted", "flt-ecoles", "flt-oeuvre", "flt-wuhan"]
    report = ExperiencePage.objects.get(external_id="flt-wuhan")
    report.title = "Écoles of Wuhan, renamed"
    report.save_revision().publish()
    by_title = [p.external_id for p in run("sort=title").queryset if p.external_id in titles]
    assert by_title == ["flt-lower", "flt-quoted", "flt-ecoles", "flt-wuhan", "flt-oeuvre"]


def test_locked_filters_apply_and_are_not_offered(world):
    result = run("region=south", locked={"theme": "energy-climate"})
    assert ids(result) == {"dakar-solar"}
    assert "theme" not in result.facets_by_name
    assert [a.name for a in result.active] == ["region"]


def test_facet_queries_do_not_grow_with_the_number_of_experiences(world):
    def count_queries(base_ids):
        with CaptureQueriesContext(connection) as queries:
            result = run("region=north", base_ids=base_ids)
            list(result.queryset)
        return len(queries)

    few = count_queries(["flt-lyon-bikes"])
    many = count_queries(None)
    assert few == many


def test_url_with_keeps_parameters_in_a_stable_order():
    assert url_with({"tag": "a b", "q": "x"}, "title", page=None) == "?q=x&tag=a+b&sort=title"
    assert url_with({}) == "?"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('q="solar kiosks"', {"dakar-solar"}),
        ('q="kiosks solar"', set()),
        ('q=solar"', {"dakar-solar"}),
        ('q="solar', {"dakar-solar"}),
        ("q=NEAR(solar* kiosks)", {"dakar-solar"}),
        ("q=-solar: ^kiosks", {"dakar-solar"}),
        ("q=solar AND OR NOT kiosks", {"dakar-solar"}),
    ],
)
def test_search_syntax_is_read_as_words_and_phrases(world, query, expected):
    result = run(query)
    assert ids(result) == expected and not result.errors


@pytest.mark.parametrize("query", ['q="', "q=*", "q=-", "q=:", "q=^", "q=NEAR("])
def test_a_search_with_no_word_lists_everything_and_says_it_has_no_words(world, query):
    result = run(query)
    # Said as the search page says it, not as "a filter not recognised: q".
    typed = query.removeprefix("q=")
    assert ids(result) == ALL and result.wordless_query == typed and not result.ignored and not result.errors


@pytest.mark.parametrize("value", ["9" * 400, "²", "١", "-7", "7.0"])
def test_an_sdg_that_is_not_a_small_number_is_ignored(world, value):
    result = run(f"sdg={value}")
    assert ids(result) == ALL and result.ignored == ["sdg"]


def test_too_many_words_are_refused_with_the_reason(world, client):
    from django.utils import translation

    typed = " ".join(["sun"] * 100)
    with translation.override("en"):
        result = run(f"q={typed}")
    assert result.errors == {"q": "Your search has too many words: 32 at most."}
    assert ids(result) == ALL and result.ignored == [] and result.typed_query == typed
    page = client.get("/en/experiences/", {"q": typed})
    html = page.content.decode()
    assert page.status_code == 400 and "Your search has too many words: 32 at most." in html
    assert f'value="{typed}"' in html
    assert client.get("/en/experiences/map/", {"q": typed}).status_code == 400
    feed = client.get("/en/experiences/feed/", {"q": typed})
    assert feed.status_code == 400 and "32" in feed.content.decode()
