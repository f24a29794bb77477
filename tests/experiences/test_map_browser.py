"""The interactive map in a real browser, in French and in English, on a desktop
and on a phone: markers and clusters drawn from the GeoJSON endpoint, a popup
per city, the map one tab stop after a skip link, nothing fetched outside the
site (the `browser_page` fixture fails on any), no console error, axe-core clean."""

import pytest

from tests.browser import LANGUAGES, Journey, in_language, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_map_shows_cities_opens_a_popup_and_is_one_tab_stop(browser_page, reading_server, lang, width):
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
    journey = Journey(page, reading_server.url, lang, f"map-{width}")
    journey.goto("/experiences/map/", "map")
    page.wait_for_selector("#network-map[data-ready]")
    assert int(page.get_attribute("#network-map", "data-ready")) >= 5
    assert page.locator("#network-map path.map-country").count() > 100  # the basemap
    markers = page.locator("#network-map .map-city, #network-map .marker-cluster")
    assert markers.count() >= 3
    box = page.locator("#network-map .map-city").first.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # touch targets
    assert any(ch.isdigit() for ch in page.locator("#network-map-status").inner_text())  # "17 cities on the map"

    # A city's popup lists its reports; their links lead to the report.
    city = page.locator("#network-map .map-city").first
    city.click()
    popup = page.locator(".leaflet-popup .map-popup")
    popup.wait_for()
    journey.check("popup")
    assert popup.locator("h3 a").get_attribute("href").startswith(f"/{lang}/experiences/city/")
    report = popup.locator("ul a").first
    assert report.get_attribute("href").startswith(f"/{lang}/experiences/")
    close = page.locator(".leaflet-popup-close-button")
    assert close.get_attribute("aria-label") == in_language(lang, "Close")
    close.click()

    # Keyboard: the skip link passes the map; the map itself is one tab stop, then the table.
    skip = page.locator("a.map-skip")
    tab_to(page, skip)
    presses_to_map = tab_to(page, page.locator("#network-map"))
    assert presses_to_map == 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#network-map') === null")
    skip.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "cities-h"
    assert page.locator("table.map-table tbody tr").count() >= 5
    assert errors == []


def test_the_map_filters_lead_to_an_address_without_empty_fields(browser_page, reading_server):
    """Walked: applying one filter on the map led to "?q=&region=south&theme=&sdg=&…"."""
    page = browser_page
    page.goto(f"{reading_server.url}/en/experiences/map/")
    page.locator("details.map-filter-box summary").click()
    page.select_option("#map-region", "south")
    page.locator("form.map-filters button[type=submit]").click()
    page.wait_for_url("**/experiences/map/?region=south")
    assert page.url.endswith("/en/experiences/map/?region=south")
    page.wait_for_selector("#network-map[data-ready]")


def test_a_report_shows_its_city_with_a_real_marker(browser_page, reading_server):
    page = browser_page
    journey = Journey(page, reading_server.url, "en", "report-mini-map")
    journey.goto("/experiences/curitiba-recycling-for-food/", "report")
    page.wait_for_selector("#report-map[data-ready]")
    marker = page.locator("#report-map img.leaflet-marker-icon")
    assert marker.count() == 1 and marker.get_attribute("src").endswith("marker-icon.png")
    box = marker.bounding_box()
    assert box["height"] >= 40  # Leaflet's pin, not a dot
    assert page.locator("#report-map .map-label", has_text="Curitiba").count() == 1
