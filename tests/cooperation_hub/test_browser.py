"""In a real browser, in French and in English, every page checked with axe-core:
the home page, its "skip to content" link, a visible focus, the language switcher."""

import pytest

from tests.browser import LANGUAGES, Journey, in_language, press_to_navigate, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OTHER = {"fr": "en", "en": "fr"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_skip_link_focus_and_language_switcher(browser_page, reading_server, lang):
    page = browser_page
    journey = Journey(page, reading_server.url, lang, "home")
    journey.goto("/", "home")
    assert page.locator("html").get_attribute("lang") == lang

    # The first Tab shows the skip link; following it puts the focus on the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=in_language(lang, "Skip to content"))
    assert skip.evaluate("el => el === document.activeElement") and skip.is_visible()
    journey.check("skip-link-shown")
    page.keyboard.press("Enter")  # a link within the page
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab goes on from the content: to the search box at its top.
    assert tab_to(page, page.get_by_label(in_language(lang, "Search the network"))) == 1

    # The other language's link says which language it is in, for screen readers too.
    other = page.locator(f".lang-switch a[hreflang={OTHER[lang]}]")
    assert other.get_attribute("lang") == OTHER[lang]
    tab_to(page, other, backwards=True)
    press_to_navigate(page)
    page.wait_for_url(f"**/{OTHER[lang]}/")
    journey.check("other-language")
    assert page.locator("html").get_attribute("lang") == OTHER[lang]
    assert page.locator(f".lang-switch a[hreflang={OTHER[lang]}]").get_attribute("aria-current") == "true"
