"""On a 390-px phone the "Propose an exchange" form's checkboxes were about 13 px
(issue #15): the site's checkboxes and radios are now touch-sized (at least 20 px),
their label clicks them, and the desktop form keeps each box beside its label."""

import pytest

from tests.browser import Journey

from .conftest import make_member

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

_BOXES = """form => [...form.querySelectorAll('input[type=checkbox], input[type=radio]')]
  .filter(i => i.offsetParent !== null)
  .map(i => { const b = i.getBoundingClientRect(); const l = i.closest('label') || i.labels[0];
              const lb = l.getBoundingClientRect();
              return {name: i.name, w: b.width, h: b.height, top: b.top, bottom: b.bottom,
                      labelTop: lb.top, labelBottom: lb.bottom, labelLeft: lb.left, left: b.left}; })"""


def _signed_in(page, server, member) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(member)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server.url}])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_propose_forms_checkboxes_are_touch_sized_on_a_phone_and_tidy_on_a_desktop(
    browser_page, reading_server, report, lang
):
    page = browser_page
    _signed_in(page, reading_server, make_member("toucher", language=lang, city="Cahors"))
    journey = Journey(page, reading_server.url, lang, "touch-checkboxes")

    page.set_viewport_size(PHONE)
    journey.goto(f"/exchanges/propose/?report={report.pk}", "propose-phone")
    form = page.locator("form.exchange-form")
    boxes = form.evaluate(_BOXES)
    assert len(boxes) >= 3, boxes  # the languages, the consent…
    small = [b for b in boxes if b["w"] < 20 or b["h"] < 20]
    assert not small, small
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The label's text is part of the target: a tap on it ticks the box.
    consent = form.locator("input[name=consent]")
    assert not consent.is_checked()
    form.locator("label[for=id_consent]").click()
    assert consent.is_checked()
    language = form.locator("input[name=languages]").first
    before = language.is_checked()
    form.locator("label:has(> input[name=languages])").first.click(position={"x": 60, "y": 10})
    assert language.is_checked() is not before

    page.set_viewport_size(DESKTOP)
    journey.goto(f"/exchanges/propose/?report={report.pk}", "propose-desktop")
    for box in page.locator("form.exchange-form").evaluate(_BOXES):
        assert 20 <= box["w"] <= 28 and 20 <= box["h"] <= 28, box  # big enough, not huge
        # Each box sits on its label's row, not alone on a line above it.
        assert box["top"] >= box["labelTop"] - 4 and box["bottom"] <= box["labelBottom"] + 4, box
