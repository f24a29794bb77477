"""On a phone (390 px wide), in French and in English (issue #15): the header's
menu button instead of navigation on three rows, the experience list's results
before its filters, filter links big enough to touch, a keyboard path of a few
Tab presses to the first result, and the sign-up page's password rules read
out as the password field's description in the browser's own DOM."""

import pytest

from tests.browser import LANGUAGES, Journey, in_language, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_phone_gets_a_menu_button_and_the_results_first(browser_page, reading_server, lang):
    page = browser_page
    page.set_viewport_size(PHONE)
    journey = Journey(page, reading_server.url, lang, "phone")

    journey.goto("/", "home")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 100, "the header takes more than one row"
    button = page.get_by_role("button", name=in_language(lang, "Menu"))
    nav = page.locator("#main-nav")
    assert button.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    tab_to(page, button)
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and nav.is_visible()
    journey.check("menu-open")
    tab_to(page, nav.get_by_role("link", name=in_language(lang, "Experiences"), exact=True))
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    assert button.evaluate("el => el === document.activeElement")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    journey.goto("/experiences/", "experiences")
    results = page.locator("section.results").bounding_box()
    facets = page.locator("aside.facets").bounding_box()
    assert results["y"] < facets["y"], "the filters come before the results"
    # Few Tab presses from the top of the page to the first result.
    first = page.locator("section.results .card h3 a").first
    assert tab_to(page, first, limit=15) <= 12
    # Every filter link is a touch target of at least 24 px.
    heights = page.locator(".facet li a").evaluate_all("links => links.map(a => a.getBoundingClientRect().height)")
    assert heights and min(heights) >= 24, min(heights)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    journey.goto("/accounts/signup/", "sign-up")
    description = page.evaluate(
        """() => {
          const input = document.querySelector('input[name=password1]');
          const ids = (input.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
          return ids.map(id => document.getElementById(id)?.innerText || '').join(' ').trim();
        }"""
    )
    assert "8" in description and len(description) > 60, description


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_synthesis_chart_keeps_readable_labels_on_a_phone(browser_page, reading_server, lang):
    """Walked on a phone: the chart scaled to the screen wrote its dates 5 px tall. It keeps
    its size and scrolls sideways in its own box, the page itself no wider than the screen."""
    page = browser_page
    page.set_viewport_size(PHONE)
    journey = Journey(page, reading_server.url, lang, "phone")
    journey.goto("/consultations/", "consultations")
    page.locator("main a[href*='/consultations/']").first.click()
    page.wait_for_load_state()
    page.goto(page.url.split("?")[0].split("#")[0] + "synthesis/")
    journey.check("synthesis")
    label = page.locator("figure.chart svg text").last
    assert label.bounding_box()["height"] >= 10
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
