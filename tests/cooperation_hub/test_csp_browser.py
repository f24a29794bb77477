"""In a real browser, the main pages work under their Content-Security-Policy:
nothing is refused (no inline script or style, nothing from elsewhere)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_the_main_pages_break_no_rule_of_their_content_security_policy(browser_page, live_server, demo):
    from contributions.models import ConsultationPage
    from experiences.models import ExperiencePage

    page = browser_page
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or message.text.startswith("Refused")
            else None
        ),
    )
    base = live_server.url
    report = ExperiencePage.objects.live().filter(locale__language_code="en").first()
    consultation = ConsultationPage.objects.live().filter(locale__language_code="en").first()

    for path in (
        "/en/",
        "/en/experiences/?region=south&theme=health-wellbeing",
        report.url,
        "/en/experiences/map/",
        consultation.url,
        "/fr/subscribe/",
        "/en/accounts/login/",
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]

    page.goto(f"{base}/en/search/?q=school")
    page.locator("#q").fill("")
    with page.expect_response(lambda r: "/api/search/autocomplete/" in r.url):
        page.locator("#q").press_sequentially("bét", delay=50)
    # A locator, not wait_for_function: Playwright polls a string predicate with eval(), which
    # this very policy refuses (and which would be counted as the page's fault).
    page.locator("#search-suggestions option").first.wait_for(state="attached")

    assert not refused, refused
