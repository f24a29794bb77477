"""In a real browser, in French and in English, with the keyboard alone and every
page checked with axe-core: subscribe to the digest, confirm the address with
the e-mailed link, manage the preferences, unsubscribe."""

import pytest

from tests.browser import (
    LANGUAGES,
    Journey,
    announced_errors,
    fill_by_keyboard,
    follow_mailed_link,
    in_language,
    press_to_navigate,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.django_db(transaction=True)
def test_subscribe_confirm_and_unsubscribe_with_the_keyboard(browser_page, live_server, demo, mailoutbox, lang):
    page = browser_page
    base = live_server.url
    journey = Journey(page, base, lang, "subscribe-and-unsubscribe")
    journey.goto("/subscribe/", "subscribe")
    form = page.locator("form.subscription-form")

    fill_by_keyboard(page, form, {"email": "not-an-address"})
    journey.check("subscribe-errors")
    assert announced_errors(page), "the subscription errors are not announced"
    assert not mailoutbox

    fill_by_keyboard(page, form, {"email": f"lectrice-{lang}@example.org", "regions=south": True})
    journey.check("confirmation-sent")
    assert len(mailoutbox) == 1

    follow_mailed_link(page, base, mailoutbox[0].body, "/subscriptions/confirm/")
    journey.check("confirm")
    tab_to(page, page.locator("main form button"))
    press_to_navigate(page)
    journey.check("confirmed")

    tab_to(page, page.get_by_role("link", name=in_language(lang, "Manage my preferences")))
    press_to_navigate(page)
    page.wait_for_url("**/subscriptions/manage/**")
    journey.check("manage")
    tab_to(page, page.locator("main").get_by_role("link", name=in_language(lang, "Unsubscribe"), exact=True))
    press_to_navigate(page)
    page.wait_for_url("**/subscriptions/unsubscribe/**")
    journey.check("unsubscribe")
    tab_to(page, page.locator("main form button"))
    press_to_navigate(page)
    journey.check("unsubscribed")
    assert "/unsubscribe/" in page.url or page.locator("main h1").is_visible()
