"""The search page and the experience list take any query parameters: a page
(400 with the reason for a bad filter), never a server error, and what was
typed is shown back as text, never as markup that runs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile import HOSTILE, any_hostile_text, executable_markup, invalid_utf8, script_text, wrong_number

pytestmark = pytest.mark.django_db
PAGES = ["/fr/search/", "/en/experiences/"]
PARAMETERS = [
    "q",
    "page",
    "per_page",
    "sdg",
    "theme",
    "country",
    "region",
    "size",
    "status",
    "tag",
    "type",
    "language",
    "sort",
]


@given(
    name=st.sampled_from(PARAMETERS),
    value=st.one_of(any_hostile_text, wrong_number, script_text),
    repeated=st.booleans(),
)
@HOSTILE
def test_any_query_parameter_gives_a_page_never_a_server_error(client, demo, name, value, repeated):
    for path in PAGES:
        # A list where one value is expected, too.
        response = client.get(path, {name: [value, value] if repeated else value})
        assert response.status_code in (200, 400), (path, name, value)
        assert executable_markup(response.content.decode()) == []


@given(raw=invalid_utf8)
@HOSTILE
def test_invalid_utf8_in_the_query_string_gives_a_page(client, demo, raw):
    query = (b"q=" + raw + b"&theme=" + raw + b"&page=" + raw).decode("latin-1")
    for path in PAGES:
        assert client.get(path, QUERY_STRING=query).status_code in (200, 400)


def test_a_bad_filter_on_the_search_page_says_which_and_why(client, demo):
    response = client.get("/en/search/", {"sdg": "99", "q": "<script>alert(1)</script>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "An SDG is a number from 1 to 17." in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and executable_markup(html) == []


@pytest.mark.parametrize("path", ["/api/search/", "/api/search/autocomplete/"])
def test_a_nul_in_an_api_parameter_gets_the_documented_json_error(client, path):
    response = client.get(path + "?q=bus&theme=mobility%00&lang=fr")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "invalid parameters",
        "errors": {"theme": "Invalid value: it contains a NUL character."},
    }


# --- search text and filters that reach the database's parser (issue #11) --------------------------------

# What each public page and API takes in its query string, and the name of its free-text parameter.
LIST_FILTERS = ["q", "theme", "sdg", "country", "region", "size", "status", "tag", "sort", "page"]
SEARCH_PARAMETERS = [
    "q",
    "lang",
    "theme",
    "sdg",
    "country",
    "region",
    "size",
    "status",
    "tag",
    "type",
    "language",
    "page",
    "per_page",
]
WAGTAIL_API = ["search", "search_operator", "offset", "limit", "id", "order", "fields", "title"]
ENDPOINTS: dict[str, list[str]] = {
    "/fr/search/": SEARCH_PARAMETERS,
    "/en/search/": SEARCH_PARAMETERS,
    "/api/search/": SEARCH_PARAMETERS,
    "/api/search/autocomplete/": ["q", "lang"],
    "/api/experiences/{external_id}/comparable/": ["lang"],
    "/en/experiences/": LIST_FILTERS,
    "/fr/experiences/": LIST_FILTERS,
    "/en/experiences/theme/mobility-transport/": LIST_FILTERS,
    "/en/experiences/tag/{tag}/": LIST_FILTERS,
    "/en/experiences/map/": LIST_FILTERS,
    "/en/experiences/feed/": LIST_FILTERS,
    "/en/experiences/feed/atom/": LIST_FILTERS,
    "/api/v2/pages/": WAGTAIL_API
    + ["type", "child_of", "ancestor_of", "descendant_of", "translation_of", "locale", "site"],
    "/api/v2/pages/?type=experiences.ExperiencePage": WAGTAIL_API
    + ["themes", "sdgs", "city", "tags", "status", "start_year", "end_year", "external_id", "locale"],
    "/api/v2/images/": WAGTAIL_API,
    "/api/v2/documents/": WAGTAIL_API,
}
TEXT_PARAMETER = {
    path: ("search" if path.startswith("/api/v2/") else "q")
    for path in ENDPOINTS
    if "q" in ENDPOINTS[path] or "search" in ENDPOINTS[path]
}
HOSTILE_QUERIES = [
    '"',
    'a"b',
    '"unbalanced phrase',
    '""',
    '"bus" "',
    "NEAR(",
    "NEAR(bus lyon)",
    "*",
    "bus*",
    "-",
    "-bus",
    ":",
    "title:bus",
    "{title}: bus",
    "^",
    "^bus",
    "(",
    ")",
    "(bus",
    "bus OR",
    "AND",
    "NOT bus",
    "bus AND OR lyon",
    "a & b | !c",
    "bus <-> lyon",
    "bus~2",
    "[1 TO 5]",
    "\\",
    "'",
    "%",
    "_",
    "\x01",
    "\x1b[31m",
    "\u202ebus",
    "bus\u200b",
    "«",
    "“smart city”",
    "l'école",
    " ".join(["bus"] * 33),  # one word too many
    " ".join("abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(150)),  # about a hundred words and more
    " ".join(f"w{i}" for i in range(150)),
    " ".join(f"mot{i}s" for i in range(32)),  # 32: the most taken
    "é" * 600,
    '"' + " ".join(["bus"] * 40) + '"',
]
HOSTILE_FILTER_VALUES = [
    "9" * 400,
    "-" + "9" * 400,
    ",".join(str(i % 17 + 1) for i in range(1000)),
    "²",
    '"',
    "\x01",
]
# The same views answer /en/ and /fr/, the theme and tag pages and both feeds: one of each is enough for every
# parameter and value (the hypothesis test below still sends them to every endpoint).
FILTER_ENDPOINTS = [
    "/fr/search/",
    "/api/search/",
    "/api/search/autocomplete/",
    "/api/experiences/{external_id}/comparable/",
    "/en/experiences/",
    "/en/experiences/map/",
    "/en/experiences/feed/",
    "/api/v2/pages/",
    "/api/v2/pages/?type=experiences.ExperiencePage",
    "/api/v2/images/",
    "/api/v2/documents/",
]


def _urls(path: str, name: str, value: str) -> tuple[str, dict[str, str]]:
    from experiences.models import ExperiencePage, ExperiencePageTag

    path = path.replace("{tag}", ExperiencePageTag.objects.select_related("tag").first().tag.slug)
    path = path.replace("{external_id}", ExperiencePage.objects.live().first().external_id)
    base, _, fixed = path.partition("?")
    params = dict(pair.split("=") for pair in fixed.split("&")) if fixed else {}
    return base, {**params, name: value}


def _assert_answered(client, path: str, name: str, value: str) -> None:
    base, params = _urls(path, name, value)
    response = client.get(base, params)
    # Wagtail's API answers a locale or parent page that does not exist with its JSON 404.
    expected = (200, 400, 404) if base.startswith("/api/v2/") else (200, 400)
    assert response.status_code in expected, (path, name, value[:40], response.status_code)
    if base.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json"), (path, name, value[:40])


@pytest.fixture
def answered_by_the_handler(client):
    # A server error answers as in production (handler500) instead of being raised into the test.
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("path", sorted(TEXT_PARAMETER))
def test_hostile_search_text_gives_a_page_or_a_400_on_every_endpoint(answered_by_the_handler, demo, path):
    for value in HOSTILE_QUERIES:
        _assert_answered(answered_by_the_handler, path, TEXT_PARAMETER[path], value)


@pytest.mark.parametrize("path", FILTER_ENDPOINTS)
def test_hostile_filter_values_give_a_page_or_a_400_on_every_endpoint(answered_by_the_handler, demo, path):
    for name in ENDPOINTS[path]:
        if name in ("q", "search"):
            continue
        for value in HOSTILE_FILTER_VALUES:
            _assert_answered(answered_by_the_handler, path, name, value)


hostile_value = st.one_of(
    any_hostile_text,
    wrong_number,
    script_text,
    st.sampled_from(HOSTILE_QUERIES),
    st.sampled_from(HOSTILE_FILTER_VALUES),
    st.lists(st.sampled_from(HOSTILE_QUERIES[:30] + ["bus", "école"]), max_size=60).map(" ".join),
)


@given(data=st.data(), value=hostile_value)
@HOSTILE
def test_any_parameter_of_any_page_or_api_gives_an_answer_never_a_server_error(
    answered_by_the_handler, demo, data, value
):
    for path, names in ENDPOINTS.items():
        _assert_answered(answered_by_the_handler, path, data.draw(st.sampled_from(names)), value)


@pytest.mark.parametrize("path", ["/api/search/", "/api/search/autocomplete/"])
def test_too_many_words_get_the_documented_json_error(client, path):
    response = client.get(path, {"q": " ".join(["bus"] * 100), "lang": "en"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "invalid parameters" and "32" in body["errors"]["q"]


def test_a_thousand_tags_are_refused_with_the_reason_not_an_outage(client, demo):
    tags = ",".join(f"t{i}" for i in range(1000))
    response = client.get("/api/search/", {"tag": tags})
    assert response.status_code == 400 and "Retry-After" not in response
    assert "20" in response.json()["errors"]["tag"]
    page = client.get("/en/search/", {"tag": tags, "q": "bus"})
    assert page.status_code == 400 and "Too many values: 20 at most." in page.content.decode()


def test_a_refused_search_on_the_search_page_says_why_and_keeps_the_text(client, demo):
    typed = " ".join(["mobility"] * 40)
    response = client.get("/en/search/", {"q": typed})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your search has too many words: 32 at most." in html and f'value="{typed}"' in html


@pytest.mark.parametrize("name", ["themes", "sdgs", "city", "offset", "id"])
def test_a_400_digit_number_in_the_pages_api_is_a_json_400(client, demo, name):
    response = client.get("/api/v2/pages/", {"type": "experiences.ExperiencePage", name: "9" * 400})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert name in response.json()["message"]


def test_the_pages_api_searches_the_words_of_an_unbalanced_query(client, demo, search_backend):
    # On each backend, the engine's being an index of this run's own (tests/search/conftest.py):
    # the default one is shared with every test that published or deleted before this one.
    from experiences.models import ExperiencePage

    title = ExperiencePage.objects.live().filter(locale__language_code="en").first().title
    word = max(title.split(), key=len).strip('",.:;()')
    response = client.get("/api/v2/pages/", {"search": f'"{word}', "type": "experiences.ExperiencePage"})
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    # The words are searched: the answer finds the word.
    assert any(word.lower() in t.lower() for t in titles), (word, titles)
    assert client.get("/api/v2/pages/", {"search": " ".join(["bus"] * 100)}).status_code == 400
    assert client.get("/api/v2/pages/", {"search": "bus", "search_operator": "near"}).status_code == 400


def test_the_pages_api_takes_related_objects_by_id_and_twenty_tags_at_most(client, demo):
    experiences = {"type": "experiences.ExperiencePage"}
    for name, value in [
        ("themes", "mobility"),
        ("sdgs", "\x1bR"),
        ("city", "Dakar"),
        ("tags", ",".join(f"t{i}" for i in range(1000))),
    ]:
        response = client.get("/api/v2/pages/", {**experiences, name: value})
        assert response.status_code == 400 and name in response.json()["message"], (name, response.content[:200])
    assert client.get("/api/v2/pages/", {**experiences, "locale": "en", "tags": "solar"}).status_code == 200
