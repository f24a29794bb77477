"""In a real browser: open a report, filter the list, see the map."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser_page(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        # No tile server or CDN is needed: any request leaving the test server fails the test.
        outside = []
        page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url and "localhost" not in r.url else None)
        yield page
        assert not outside, f"the pages fetched outside resources: {outside}"
        browser.close()


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
