"""The whole journey of #13 in a real browser, in French and in English, axe-core on every page:
a peer proposes an exchange from a report; the city's contact answers from the e-mail's link;
both see the shared contacts; the contact makes it a partnership; an administrator makes it
public; it is on the map's data, the city page and GET /api/partnerships/; six months on, the
outcome task asks for an outcome, whose answer becomes a draft report in review.
Screenshots: var/screenshots/journey13/<lang>/ (desktop; the public pages also at 390 px)."""

from pathlib import Path
from unittest import mock

import pytest
from dateutil.relativedelta import relativedelta

from exchanges.models import ExchangeRequest
from tests.browser import LANGUAGES, Journey, follow_mailed_link, in_language

from .conftest import make_contact, make_member

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "a long enough password 42"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "journey13"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _sign_in(page, user):
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()


def _public(journey, page, step):
    """A public page: checked on the desktop, then on a phone."""
    journey.check(step)
    page.set_viewport_size(PHONE)
    journey.check(step + "-phone")
    page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.django_db(transaction=True)
def test_from_a_report_to_a_partnership_and_back_to_a_report(
    browser_page, live_server, demo, mailoutbox, settings, django_user_model, lang
):
    from experiences.models import City, ExperiencePage
    from partnerships.models import OutcomeRequest, Partnership
    from partnerships.tasks import ask_for_outcomes

    settings.SITE_URL = live_server.url
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False  # the admin would ask releases.wagtail.org
    target = City.objects.get(name="Da Nang")
    report = ExperiencePage.objects.live().get(city=target, locale__language_code=lang)
    requester = make_member("peer13", language=lang, city="Cahors", organisation="Ville de Cahors")
    contact = make_contact(target, "contact13", language=lang)
    admin = django_user_model.objects.create_superuser("admin13", "admin13@example.org", PASSWORD)
    for user in (requester, contact):
        user.set_password(PASSWORD)
        user.save()
    page, base = browser_page, live_server.url
    journey = Journey(page, base, lang, "journey13")
    journey.folder = SCREENSHOTS / lang

    # 1. The peer proposes an exchange from the report (signing in on the way).
    page.goto(base + report.url)
    _public(journey, page, "report")
    page.get_by_role("link", name=in_language(lang, "Propose an exchange"), exact=True).click()
    page.wait_for_load_state()
    _sign_in(page, requester)
    journey.check("propose-form")
    form = page.locator("form.exchange-form")
    form.locator("input[name=role]").fill("Chargée de mission")
    form.locator("input[name=kind][value=study-visit]").check()
    form.locator(f"input[name=languages][value={lang}]").check()
    form.locator("textarea[name=message]").fill("Could we visit your flood alert centre?")
    form.locator("input[name=consent]").check()
    form.locator("[type=submit]").click()
    page.wait_for_load_state()
    journey.check("request-sent")
    exchange = ExchangeRequest.objects.get(requester=requester)
    assert contact.email not in page.content()

    # 2. The contact answers from the e-mail's link, and sees the requester's contacts.
    mails = [m for m in mailoutbox if m.to == [contact.email]]
    assert len(mails) == 1
    page.context.clear_cookies()
    follow_mailed_link(page, base, mails[0].body, "/exchanges/")
    page.wait_for_load_state()
    _sign_in(page, contact)
    journey.check("thread-for-the-contact")
    answer = page.locator("#accept-form")
    answer.locator("input[name=consent]").check()
    answer.locator("[type=submit]").click()
    page.wait_for_load_state()
    journey.check("accepted-contacts-shared")
    assert requester.email in page.content() and contact.email in page.content()

    # 3. The contact makes it a partnership (not public yet).
    page.locator("form.exchange-partnership [type=submit]").click()
    page.wait_for_load_state()
    journey.check("partnership-started")
    exchange.refresh_from_db()
    partnership = exchange.partnership
    assert partnership is not None and not partnership.is_public

    # 4. The requester sees the shared contacts too.
    page.context.clear_cookies()
    page.goto(f"{base}/{lang}/exchanges/{exchange.pk}/")
    page.wait_for_load_state()
    _sign_in(page, requester)
    journey.check("thread-for-the-requester")
    assert contact.email in page.content()

    # 5. An administrator makes it public (and active) in the admin.
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", admin.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{base}/admin/snippets/partnerships/partnership/edit/{partnership.pk}/")
    page.wait_for_load_state()
    page.locator("select[name=status]").select_option("active")
    page.locator("input[name=is_public]").check()
    journey.check("admin-edit")
    page.locator("button[type=submit].action-save").first.click()
    page.wait_for_load_state()
    partnership.refresh_from_db()
    assert partnership.is_public and partnership.status == Partnership.Status.ACTIVE

    # 6. It is on the map's data, the map's table, the city page and the API.
    page.context.clear_cookies()
    geojson = page.request.get(f"{base}/api/map/experiences.geojson").json()
    assert partnership.pk in [row["id"] for row in geojson["partnerships"]]
    page.goto(f"{base}/{lang}/experiences/map/")
    page.wait_for_selector("#network-map[data-ready]")
    assert page.locator(f"#partnership-{partnership.pk}").count() == 1
    assert page.locator("#network-map path.map-line").count() >= 1
    _public(journey, page, "map")
    page.goto(f"{base}/{lang}/experiences/city/{target.slug}/")
    assert page.locator(f"a[href$='/partnerships/{partnership.pk}/']").count() >= 1
    _public(journey, page, "city-page")
    api = page.request.get(f"{base}/api/partnerships/").json()
    assert partnership.pk in [item["id"] for item in api["results"]]
    page.goto(f"{base}/{lang}/partnerships/{partnership.pk}/")
    _public(journey, page, "partnership-page")

    # 7. Six months on, the outcome task asks each side; the contact's answer is a draft in review.
    later = partnership.start_date + relativedelta(months=6, days=1)
    with mock.patch("partnerships.outcomes.timezone.localdate", return_value=later):
        ask_for_outcomes()
    row = OutcomeRequest.objects.get(partnership=partnership, recipient=contact)
    asked = [m for m in mailoutbox if m.to == [contact.email] and str(row.token) in m.body]
    assert len(asked) == 1
    page.goto(f"{base}/{lang}/accounts/login/")
    _sign_in(page, contact)
    follow_mailed_link(page, base, asked[0].body, str(row.token))
    page.wait_for_load_state()
    journey.check("outcome-form")
    page.locator("textarea[name=what_exchanged]").fill("A study visit to the flood alert centre.")
    page.locator("textarea[name=what_changed]").fill("Our schools now get flood alerts by SMS.")
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()
    journey.check("outcome-thanks")
    row.refresh_from_db()
    draft = ExperiencePage.objects.get(pk=row.draft_report_id)
    assert not draft.live and draft.current_workflow_state is not None
    assert draft.current_workflow_state.status == "in_progress"
