"""The search page and the experience list take any query parameters: a page
(400 with the reason for a bad filter), never a server error, and what was
typed is shown back as text, never as markup that runs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile import HOSTILE, any_hostile_text, executable_markup, invalid_utf8, script_text, wrong_number

pytestmark = pytest.mark.django_db
PAGES = ["/fr/search/", "/en/experiences/"]
PARAMETERS = ["q", "page", "per_page", "sdg", "theme", "country", "region", "size", "status", "tag", "type",
              "language", "sort"]


@given(name=st.sampled_from(PARAMETERS), value=st.one_of(any_hostile_text, wrong_number, script_text),
       repeated=st.booleans())
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
    assert response.json() == {"error": "invalid parameters",
                               "errors": {"theme": "Invalid value: it contains a NUL character."}}
