"""In a real browser: Wagtail's autosave of a new report waits until its city is chosen
(issue #15). Before, autosave posted the half-filled form, was refused with a 400 and
paused with "There are validation errors", an error the officer did nothing to cause."""

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from experiences.models import ExperienceIndexPage
from experiences.publishing import OFFICERS

from .test_admin import user_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _signed_in(page, base_url: str, user) -> None:
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY], session[HASH_SESSION_KEY] = str(user.pk), user.get_session_auth_hash()
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base_url}])


def _open_new_report_editor(page, base_url: str, index) -> None:
    """Opens the editor of a new report once Wagtail watches it for edits. Wagtail takes its
    snapshot of the form 2 s after the editor starts and autosaves only what differs from it:
    typed before the snapshot (as on a loaded machine), the edits change nothing."""
    page.add_init_script(
        """document.addEventListener("w-unsaved:watch-edits",
               () => document.documentElement.setAttribute("data-watching-edits", ""), true)"""
    )
    page.goto(f"{base_url}/admin/pages/add/experiences/experiencepage/{index.pk}/")
    page.locator("html[data-watching-edits]").wait_for(state="attached")


def _officer_opens_a_new_report(page, base_url: str, username: str, language: str):
    """Signed in as a new officer, the editor of a new report under the ``language`` index, once
    Wagtail watches it; the city to choose is returned."""
    from experiences.models import City

    _signed_in(page, base_url, user_in(OFFICERS, username))
    _open_new_report_editor(page, base_url, ExperienceIndexPage.objects.get(locale__language_code=language))
    return City.objects.order_by("pk").first()


@pytest.mark.django_db(transaction=True)  # the server thread reads the session written here
def test_autosave_of_a_new_report_waits_quietly_for_its_city(browser_page, live_server, demo):
    page, base = browser_page, live_server.url
    _signed_in(page, base, user_in(OFFICERS, "officer-autosave"))
    index = ExperienceIndexPage.objects.get(locale__language_code="fr")
    posts: list[int] = []
    page.on("response", lambda r: posts.append(r.status) if r.request.method == "POST" and "/add/" in r.url else None)
    _open_new_report_editor(page, base, index)
    page.click("#id_title")
    page.keyboard.type("Jardins sur les toits", delay=20)
    page.click("#id_summary")
    page.keyboard.type("Un essai.", delay=20)
    page.wait_for_timeout(3000)  # autosave's interval is 500 ms

    assert posts == []  # nothing sent, so nothing refused
    indicator = page.locator("#w-autosave-indicator").inner_text()
    assert "pause" not in indicator.lower() and "erreur" not in indicator.lower()
    form = page.locator("form#page-edit-form")
    assert form.get_attribute("data-w-autosave-active-value") == "false"
    # Once the city is there, autosave is on again.
    page.evaluate("document.querySelector('input[name=city]').value = '1'")
    page.dispatch_event("#id_summary", "input")
    assert form.get_attribute("data-w-autosave-active-value") == "true"


@pytest.mark.django_db(transaction=True)
def test_save_draft_clicked_while_the_first_autosave_is_out_creates_one_report(browser_page, live_server, demo):
    """Walked as an officer (issue #15): the last field filled, "Save draft" clicked at once. The
    autosave then on its way created the report, and the click, posted to the "add" URL as well,
    created a second copy with a "-2" address, left among the officer's drafts."""
    from experiences.models import ExperiencePage

    page, base = browser_page, live_server.url
    city = _officer_opens_a_new_report(page, base, "officer-quick-save", "fr")
    page.fill("#id_title", "Jardins sur les toits")
    # The officer's click lands just after autosave has sent the half-filled report.
    page.evaluate(
        """document.addEventListener("w-autosave:save", () => setTimeout(
               () => document.querySelector("footer button.action-save").click(), 30), {once: true})"""
    )
    page.evaluate(f"document.querySelector('input[name=city]').value = '{city.pk}'")
    page.click("#id_summary")
    page.keyboard.type("Un essai.", delay=20)
    # The editor lands on the report's edit page once it exists; anything else on its way (a
    # second copy, before the fix) lands before the network falls quiet.
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=60_000)
    page.wait_for_load_state("networkidle", timeout=60_000)

    reports = ExperiencePage.objects.filter(title="Jardins sur les toits")
    assert reports.count() == 1, [r.slug for r in reports]
    assert page.url.endswith(f"/admin/pages/{reports.get().pk}/edit/")


@pytest.mark.django_db(transaction=True)
def test_an_autosave_due_after_save_draft_is_clicked_is_not_sent(browser_page, live_server, demo):
    """The other order, walked as an officer on a slow link: "Save draft" left first, and the
    autosave of the last edit, due a moment later while the next page was still loading, posted
    the same form to the "add" URL again. One of the two copies took a "-2" address, and when
    it was the one sent for review, the report was published at ".../title-2/"."""
    from experiences.models import ExperiencePage

    page, base = browser_page, live_server.url
    city = _officer_opens_a_new_report(page, base, "officer-slow-link", "en")
    page.fill("#id_title", "Rooftop gardens")
    page.evaluate(f"document.querySelector('input[name=city]').value = '{city.pk}'")
    page.click("#id_summary")
    page.keyboard.type("A trial.", delay=20)

    # A slow link: the officer's post is held until an autosave has gone, if one goes.
    autosaves: list[str] = []
    held = []

    def slow_link(route) -> None:
        if route.request.method != "POST":
            route.continue_()
        elif "application/json" in (route.request.headers.get("accept") or ""):
            autosaves.append(route.request.url)
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r"/admin/pages/"), slow_link)
    # "Save draft" is clicked, and Wagtail's autosave of the last edit comes due just after.
    page.evaluate(
        """() => {
            const form = document.querySelector("form#page-edit-form");
            document.querySelector("footer button.action-save").click();
            window.wagtail.app.getControllerForElementAndIdentifier(form, "w-autosave").save();
        }"""
    )
    page.wait_for_timeout(1500)  # an autosave, if any, is on its way by now
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=60_000)
    page.wait_for_load_state("networkidle", timeout=60_000)

    assert autosaves == []
    reports = ExperiencePage.objects.filter(title="Rooftop gardens")
    assert [r.slug for r in reports] == ["rooftop-gardens"]


@pytest.mark.django_db(transaction=True)
def test_a_key_figure_row_just_added_holds_autosave_until_its_value_is_given(browser_page, live_server, demo):
    """Walked as an officer: "Add a key figure" clicked, the name typed, a pause before the
    value. Autosave posted the row without its value, was refused with a 400 and paused with
    "There are validation errors"; it now waits, then saves the figure once it is whole."""
    from django.contrib.auth import get_user_model

    from experiences.models import ExperiencePage

    page, base = browser_page, live_server.url
    report = ExperiencePage.objects.filter(locale__language_code="fr").live().order_by("pk").first()
    rows = report.indicators.count()
    _signed_in(page, base, get_user_model().objects.create_superuser("admin-figures", "af@example.org", "pw-1234-x"))
    statuses: list[int] = []
    edit = f"/admin/pages/{report.pk}/edit/"
    page.on(
        "response", lambda r: statuses.append(r.status) if r.request.method == "POST" and r.url.endswith(edit) else None
    )
    page.add_init_script(
        """document.addEventListener("w-unsaved:watch-edits",
               () => document.documentElement.setAttribute("data-watching-edits", ""), true)"""
    )
    page.goto(f"{base}{edit}")
    page.locator("html[data-watching-edits]").wait_for(state="attached")
    page.click("#id_indicators-ADD")
    page.click(f"#id_indicators-{rows}-name")
    page.keyboard.type("Arbres plantés", delay=20)
    page.wait_for_timeout(3000)  # autosave's interval is 500 ms

    assert 400 not in statuses
    form = page.locator("form#page-edit-form")
    assert form.get_attribute("data-w-autosave-active-value") == "false"
    indicator = page.locator("#w-autosave-indicator").inner_text().lower()
    assert "pause" not in indicator and "erreur" not in indicator and "error" not in indicator

    page.click(f"#id_indicators-{rows}-value")
    # Autosave posts once the row is whole; on a busy machine later than a fixed wait would allow.
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(edit), timeout=30_000):
        page.keyboard.type("1200", delay=20)

    def saved() -> list:
        report.refresh_from_db()
        return [(f.name, f.value, f.sort_order) for f in report.get_latest_revision_as_object().indicators.all()]

    for _attempt in range(60):  # the last keystroke's autosave, up to 30 s
        if ("Arbres plantés", 1200) in [(name, int(value)) for name, value, _order in saved()]:
            break
        page.wait_for_timeout(500)
    page.wait_for_load_state("networkidle", timeout=30_000)
    assert statuses and set(statuses) == {200}
    figures = report.get_latest_revision_as_object().indicators.all()
    assert ("Arbres plantés", 1200) in [(f.name, int(f.value)) for f in figures], [
        (f.name, f.value, f.sort_order) for f in figures
    ]
