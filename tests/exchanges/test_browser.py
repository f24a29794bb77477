"""In a real browser, in French and in English, every page checked with axe-core:
a peer proposes an exchange from a report, the city's contact answers from the
e-mail's link, and both then see each other's contact details."""

import pytest

from exchanges.models import ExchangeRequest
from tests.browser import LANGUAGES, Journey, follow_mailed_link, in_language

from .conftest import make_contact, make_member

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "a long enough password 42"


def _sign_in(page, journey, user):
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()


def _sign_out(page, base, lang):
    page.context.clear_cookies()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.django_db(transaction=True)
def test_propose_from_a_report_answer_from_the_email_and_share_contacts(
    browser_page, live_server, demo, mailoutbox, settings, lang
):
    from experiences.models import City, ExperiencePage

    settings.SITE_URL = live_server.url
    target = City.objects.get(name="Da Nang")
    report = ExperiencePage.objects.live().get(city=target, locale__language_code=lang)
    requester = make_member("peer", language=lang, city="Cahors", organisation="Ville de Cahors")
    contact = make_contact(target, "contact", language=lang)
    for user in (requester, contact):
        user.set_password(PASSWORD)
        user.save()
    page, base = browser_page, live_server.url
    journey = Journey(page, base, lang, "exchange-request")

    # The peer reads a report and proposes an exchange: signing in first, back to the prefilled form.
    page.goto(base + report.url)
    journey.check("report")
    page.get_by_role("link", name=in_language(lang, "Propose an exchange"), exact=True).click()
    page.wait_for_load_state()
    _sign_in(page, journey, requester)
    assert "/exchanges/propose/" in page.url
    journey.check("propose-form")
    form = page.locator("form.exchange-form")
    assert form.locator("select[name=target_city]").input_value() == str(target.pk)
    # Sent empty-handed: errors on the page, nothing stored.
    form.locator("textarea[name=message]").fill("")
    form.locator("[type=submit]").click()
    page.wait_for_load_state()
    journey.check("propose-errors")
    assert not ExchangeRequest.objects.filter(requester=requester).exists()
    form = page.locator("form.exchange-form")
    form.locator("input[name=role]").fill("Chargée de mission")
    form.locator("input[name=kind][value=video-call]").check()
    form.locator("input[name=languages][value=fr]").check()
    form.locator("textarea[name=message]").fill("Could we have a video call about your flood alerts?")
    form.locator("input[name=consent]").check()
    form.locator("[type=submit]").click()
    page.wait_for_load_state()
    journey.check("request-sent")
    exchange = ExchangeRequest.objects.get(requester=requester)
    assert page.url.endswith(f"/exchanges/{exchange.pk}/")
    assert contact.email not in page.content()

    # The contact answers from the e-mail's link.
    mails = [m for m in mailoutbox if m.to == [contact.email]]
    assert len(mails) == 1
    _sign_out(page, base, lang)
    follow_mailed_link(page, base, mails[0].body, "/exchanges/")
    page.wait_for_load_state()
    _sign_in(page, journey, contact)
    assert page.url.endswith(f"/exchanges/{exchange.pk}/")
    journey.check("thread-for-the-contact")
    assert requester.email not in page.content()
    answer = page.locator("#accept-form")
    answer.locator("input[name=consent]").check()
    answer.locator("[type=submit]").click()
    page.wait_for_load_state()
    journey.check("accepted")
    assert requester.email in page.content() and contact.email in page.content()

    # The requester is told, and sees the contact's address too.
    told = [m for m in mailoutbox if m.to == [requester.email]]
    assert len(told) == 1
    _sign_out(page, base, lang)
    follow_mailed_link(page, base, told[0].body, "/exchanges/")
    page.wait_for_load_state()
    _sign_in(page, journey, requester)
    journey.check("accepted-for-the-requester")
    assert contact.email in page.content() and requester.email in page.content()
