"""In a real browser, in French and in English, with the keyboard alone and every
page checked with axe-core: sign up, confirm the address, sign in, contribute,
reply, support, report a reply, and read the consultation's synthesis."""

import pytest

from contributions.models import Reply, Report
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

from .conftest import make_consultation, make_contribution, make_member

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "Un-mot-de-passe-solide-42"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.django_db(transaction=True)
def test_sign_up_contribute_reply_and_support_with_the_keyboard(browser_page, live_server, demo, mailoutbox, lang):
    consultation = make_consultation()
    if lang != "fr":
        consultation = consultation.get_translations().get(locale__language_code=lang).specific
    theirs = make_contribution(
        consultation, make_member("someone", display_name="Fatou Sarr"), title="Partager les données ouvertes"
    )
    Reply.objects.create(
        contribution=theirs,
        author=make_member("rude", display_name="Max Rude"),
        body="<p>Une réponse qui mérite un signalement.</p>",
    )
    page = browser_page
    base = live_server.url
    journey = Journey(page, base, lang, "sign-up-and-contribute")
    email = f"navigatrice-{lang}@example.org"

    # A wrong sign-up is announced, field by field.
    journey.goto("/accounts/signup/", "sign-up")
    signup = page.locator("main form")
    fill_by_keyboard(page, signup, {"email": "not-an-address", "password1": PASSWORD, "password2": "something else"})
    journey.check("sign-up-errors")
    assert announced_errors(page), "the sign-up errors are not announced"
    assert page.locator("input[name=email]").get_attribute("aria-invalid") == "true"

    order = fill_by_keyboard(page, signup, {
        "email": email, "password1": PASSWORD, "password2": PASSWORD,
        "display_name": "Lina Navigatrice", "city": "Grenoble",
    })  # fmt: skip
    assert order == ["email", "display_name", "city", "password1", "password2"]
    journey.check("verification-sent")
    assert len(mailoutbox) == 1

    follow_mailed_link(page, base, mailoutbox[0].body, "/accounts/confirm-email/")
    journey.check("confirm-address")
    tab_to(page, page.locator("main form [type=submit]"))
    press_to_navigate(page)
    journey.check("address-confirmed")
    # Confirming the address signs the person in: no second trip through the login form.
    assert page.locator("header a[href$='/accounts/profile/']").count() == 1

    # Contribute: an empty form first, whose errors are announced.
    page.goto(base + consultation.url)
    journey.check("consultation")
    form = page.locator("form.contribution-form")
    fill_by_keyboard(page, form, {})
    journey.check("contribution-errors")
    assert announced_errors(page), "the contribution errors are not announced"
    fill_by_keyboard(page, form, {
        "title": "Des classes jumelées", "body": "Des écoles de Montpellier et de Wuhan correspondent chaque mois.",
        "tags": "écoles, jumelage",
    })  # fmt: skip
    journey.check("contribution-published")
    assert "/contributions/" in page.url and "Des classes jumelées" in page.locator("h1").inner_text()

    # Reply to someone else's contribution, then support it.
    page.goto(base + theirs.get_url(lang))
    journey.check("their-contribution")
    fill_by_keyboard(page, page.locator("form.reply-form"), {"body": "Nous aimerions en parler avec vous."})
    journey.check("replied")
    assert "Lina Navigatrice, Grenoble" in page.locator(".reply").last.inner_text()
    tab_to(page, page.get_by_role("button", name=in_language(lang, "Interested in an exchange?")))
    press_to_navigate(page, "Space")
    journey.check("supported")
    assert page.get_by_role("button", name=in_language(lang, "I am no longer interested")).is_visible()

    # Report someone else's reply: its link names the reply's author for a screen reader.
    report = page.get_by_role("link", name=in_language(lang, "Report this reply") + " (Max Rude")
    tab_to(page, report)
    press_to_navigate(page)
    journey.check("report-a-reply")
    fill_by_keyboard(page, page.locator("main form"), {"reason": "Propos blessants envers une ville partenaire"})
    journey.check("reply-reported")
    assert Report.objects.filter(reply__author__display_name="Max Rude").count() == 1

    page.goto(base + consultation.url + "synthesis/")
    journey.check("synthesis")
    assert page.locator("main h1").is_visible()
