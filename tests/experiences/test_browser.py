"""In a real browser: open a report, filter the list, see the map."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.django_db(transaction=True)
def test_open_a_report_filter_the_list_and_see_the_map(browser_page, live_server, demo):
    page = browser_page
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{base}/en/experiences/")
    page.get_by_role("link", name="Smart Dubai: making residents' happiness the goal of the smart city").click()
    page.wait_for_load_state()
    assert page.locator("aside.factbox").is_visible()
    assert "Dubai" in page.locator("aside.factbox").inner_text()
    page.screenshot(path=str(ARTIFACTS / "experiences-report.png"))

    page.goto(f"{base}/en/experiences/")
    page.locator("details.facet", has_text="North / South").get_by_role("link", name="Global South").click()
    page.wait_for_load_state()
    assert "region=south" in page.url
    page.locator("details.facet", has_text="Theme").get_by_role("link", name="Health & well-being").click()
    page.wait_for_load_state()
    assert "region=south" in page.url and "theme=health-wellbeing" in page.url
    assert page.get_by_role("heading", name="Smart Dubai: making residents' happiness the goal of the smart city").is_visible()
    page.screenshot(path=str(ARTIFACTS / "experiences-filtered.png"))

    page.get_by_role("link", name="See these experiences on the map").click()
    page.wait_for_load_state()
    assert page.locator("svg[role=img] circle").count() >= 1
    page.goto(f"{base}/en/experiences/map/")
    assert page.locator("svg[role=img] path.map-link-ns").count() >= 1
    assert page.get_by_role("table").is_visible()
    page.screenshot(path=str(ARTIFACTS / "experiences-map.png"), full_page=True)
