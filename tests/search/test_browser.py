"""In a real browser, in French and in English, every page checked with axe-core:
reach the search from the header, pick a suggestion with the keyboard, open a
result, and meet the "did you mean" of an empty search."""

import pytest

from tests.browser import LANGUAGES, Journey, in_language, press_to_navigate, tab_to
from tests.hostile import database_search_only  # noqa: F401 - fixture

# The journey checks the search page, not an engine: on the database backend
# the results follow the rolled-back test database, while an engine's index
# may still hold pages other tests created (and link to them).
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.usefixtures("database_search_only")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_with_the_keyboard_pick_a_suggestion_and_open_a_result(browser_page, reading_server, lang):
    page = browser_page
    journey = Journey(page, reading_server.url, lang, "search")
    journey.goto("/", "home")

    header_link = page.locator("header nav").get_by_role(
        "link", name=in_language(lang, "Search", "public site"), exact=True
    )
    tab_to(page, header_link)
    press_to_navigate(page)
    page.wait_for_url("**/search/")
    journey.check("search-page")

    box = page.get_by_label(in_language(lang, "Search terms", "public site"))
    tab_to(page, box)
    page.keyboard.type("beth")
    # The suggestions fill the box's <datalist> while typing.
    # The city, not the first suggestion: other tests may have added titles that start alike.
    suggestion = page.locator("#search-suggestions option[value='Béthune']")
    suggestion.wait_for(state="attached")
    picked = suggestion.get_attribute("value")
    # Headless Chromium draws no <datalist> popup to arrow through: type the suggestion.
    page.keyboard.press("Control+A")
    page.keyboard.type(picked)
    press_to_navigate(page)
    page.wait_for_url("**/search/?q=*")
    journey.check("results")
    hits = page.locator("ol.search-hits li")
    assert hits.count() >= 1 and "Béthune" in hits.first.inner_text()

    hits.first.get_by_role("link").click()
    journey.check("a-result")
    assert "Béthune" in page.locator("h1").inner_text()

    journey.goto("/search/?q=bethunne&region=south", "nothing-matches")
    empty = page.locator(".search-empty")
    assert in_language(lang, "Nothing matches this search.") in empty.inner_text()
    did_you_mean = empty.locator("li", has_text=in_language(lang, "Did you mean")).get_by_role("link")
    assert did_you_mean.inner_text() == "bethune"
    did_you_mean.click()
    journey.check("did-you-mean")
    assert page.locator("ol.search-hits li").count() >= 1
