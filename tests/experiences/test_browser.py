"""In a real browser, in French and in English, every page checked with axe-core:
browse and filter the reports, read one and its comparable projects, follow to
the city, its peers, the theme and tag pages and the map."""

import pytest

from tests.browser import LANGUAGES, Journey, in_language, press_to_navigate

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_browse_filter_and_paginate_the_reports(browser_page, reading_server, lang):
    page = browser_page
    journey = Journey(page, reading_server.url, lang, "browse-and-filter")
    journey.goto("/experiences/", "list")
    assert page.locator("nav.pagination").is_visible()

    page.locator("nav.pagination a[rel=next]").click()
    journey.check("second-page")
    assert "page=2" in page.url

    page.locator("details.facet a[href*='region=south']").click()
    journey.check("global-south")
    assert "region=south" in page.url and "page=" not in page.url
    page.locator("details.facet a[href*='theme=health-wellbeing']").click()
    journey.check("south-and-health")
    assert "region=south" in page.url and "theme=health-wellbeing" in page.url
    dubai = page.locator(".cards h3", has_text="Dubai")
    assert dubai.count() == 1
    page.locator("details.facet a[href*='size=']").first.click()
    journey.check("and-a-size")
    assert "size=" in page.url

    # Remove one filter with its chip, then all of them.
    chips = page.locator(".active-filters a.chip-remove")
    assert chips.count() == 3
    chips.first.click()
    journey.check("one-filter-removed")
    assert chips.count() == 2
    page.get_by_role("link", name=in_language(lang, "Clear all filters")).click()
    journey.check("filters-cleared")
    assert "?" not in page.url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_read_a_report_its_comparable_projects_peers_and_the_map(browser_page, reading_server, lang):
    page = browser_page
    journey = Journey(page, reading_server.url, lang, "report-and-map")
    journey.goto("/experiences/?region=south&theme=health-wellbeing", "list")
    page.locator(".cards h3 a", has_text="Dubai").click()
    journey.check("report")
    factbox = page.locator("aside.factbox")
    assert factbox.is_visible() and "Dubai" in factbox.inner_text()
    report_title = page.locator("h1").inner_text()

    comparable = page.locator("section.comparable")
    assert comparable.get_by_role("heading", name=in_language(lang, "Comparable projects")).is_visible()
    assert comparable.locator(".reasons li").count() >= 1
    comparable.locator("h3 a").first.click()
    journey.check("comparable-project")
    assert page.locator("h1").inner_text() != report_title

    page.get_by_role("link", name=in_language(lang, "Cities to cooperate with")).click()
    journey.check("city-peers")
    assert "/peers/" in page.url
    page.go_back()
    factbox.locator("a[href*='/theme/']").first.click()
    journey.check("theme-page")
    assert "/experiences/theme/" in page.url and page.locator(".cards li").count() >= 1
    page.go_back()
    factbox.locator("a[href*='/tag/']").first.click()
    journey.check("tag-page")
    assert "/experiences/tag/" in page.url and page.locator(".cards li").count() >= 1
    page.go_back()
    page.locator("nav.breadcrumb a[href*='/city/']").click()
    journey.check("city-page")
    assert "/experiences/city/" in page.url

    journey.goto("/experiences/map/", "map")
    page.wait_for_selector("#network-map[data-ready]")
    assert page.locator("#network-map .map-city, #network-map .marker-cluster").count() >= 1
    assert page.locator("#network-map path.map-line-ns").count() >= 1
    assert page.get_by_role("table").first.is_visible()  # the cities; the partnerships table follows
    # The cities of the map are links of its table, which a keyboard reaches too.
    first_city = page.locator("table.map-table tbody a").first
    first_city.focus()
    press_to_navigate(page)
    journey.check("city-from-the-map")
    assert "/experiences/city/" in page.url
