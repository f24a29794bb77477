"""What every browser journey checks on every page: axe-core finds no serious
or critical violation, and a full-page screenshot is kept as a test artifact.
Also the keyboard: reach a control with Tab alone, see where the focus is.

Screenshots go to $HUB_TEST_ARTIFACTS/screenshots/<lang>/<journey>/<NN>-<step>.png
(default: var/test-artifacts, ignored by git) so CI can keep them.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import Locator, Page

ARTIFACTS_ENV = "HUB_TEST_ARTIFACTS"
BLOCKING_IMPACTS = ("serious", "critical")
_axe = Axe()


LANGUAGES = ["fr", "en"]


def in_language(lang: str, text: str, context: str | None = None) -> str:
    """`text` (an English msgid, in a pgettext `context` if given) as the site shows it in `lang`."""
    with translation.override(lang):
        return str(translation.pgettext(context, text) if context else translation.gettext(text))


def artifacts_dir() -> Path:
    default = Path(__file__).resolve().parents[1] / "var" / "test-artifacts"
    return Path(os.environ.get(ARTIFACTS_ENV) or default)


def blocking_violations(page: Page) -> list[str]:
    """The serious and critical axe-core violations of the current page, one
    readable line per element: rule, impact, CSS target, what to do."""
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"{violation['id']} ({violation['impact']}) at {target}: {violation['help']}")
    return lines


class Journey:
    """One user journey in one language: `check` each page it goes through."""

    def __init__(self, page: Page, base_url: str, lang: str, name: str):
        self.page, self.base_url, self.lang, self.name = page, base_url, lang, name
        self.folder = artifacts_dir() / "screenshots" / lang / name
        self.steps = 0

    def goto(self, path: str, step: str) -> None:
        """Open a page of this journey's language (`path` after /<lang>) and check it."""
        self.page.goto(f"{self.base_url}/{self.lang}{path}")
        self.check(step)

    def check(self, step: str) -> None:
        """Screenshot the page, then fail on any serious or critical violation."""
        self.page.wait_for_load_state()
        self.steps += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        shot = self.folder / f"{self.steps:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower()).strip('-')}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        leaked = self.page.evaluate("() => /\\{[#%{]/.test(document.body.innerText)")
        assert not leaked, f"{self.page.url} ({step}) shows template syntax (screenshot: {shot})"
        problems = blocking_violations(self.page)
        if problems:
            pytest.fail(
                f"{self.page.url} ({step}) has accessibility violations (screenshot: {shot}):\n  "
                + "\n  ".join(problems),
                pytrace=False,
            )


_FOCUS_IS_VISIBLE = """el => {
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== "none";
}"""

_VISIBLE_LABEL = """el => {
  const labels = [...(el.labels || [])];
  const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
  labels.push(...ids.map(id => document.getElementById(id)).filter(Boolean));
  const seen = labels.find(l => l.getClientRects().length && l.innerText.trim());
  return seen ? seen.innerText.trim() : "";
}"""


def _has_focus(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page: Page, locator: Locator, *, backwards: bool = False, limit: int = 80) -> int:
    """Press Tab (or Shift+Tab) until `locator` has the focus, as a keyboard user
    would; fail if it is never reached or shows no focus ring. Returns the
    number of key presses it took."""
    key = "Shift+Tab" if backwards else "Tab"
    presses = 0
    while not _has_focus(locator):
        if presses == limit:
            pytest.fail(f"{key} never reached {locator}", pytrace=False)
        page.keyboard.press(key)
        presses += 1
    assert locator.evaluate(_FOCUS_IS_VISIBLE), f"the focus on {locator} is not visible"
    return presses


def visible_label(locator: Locator) -> str:
    """The text of the visible <label> (or aria-labelledby) of a form control."""
    return locator.evaluate(_VISIBLE_LABEL)


def type_in_field(page: Page, label: str, text: str) -> None:
    """Tab to the field labelled `label` (its visible label must say so) and type."""
    field = page.get_by_label(label, exact=True)
    tab_to(page, field)
    assert label in visible_label(field), f"the field reached for {label!r} has no such visible label"
    page.keyboard.type(text)


def announced_errors(page: Page) -> list[str]:
    """Error messages a screen reader announces: text of the role=alert regions,
    and of the descriptions of fields marked aria-invalid."""
    return page.evaluate(
        """() => {
          const texts = [...document.querySelectorAll('[role=alert]')].map(e => e.innerText.trim());
          for (const field of document.querySelectorAll('[aria-invalid=true]')) {
            for (const id of (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)) {
              const described = document.getElementById(id);
              if (described) texts.push(described.innerText.trim());
            }
          }
          return texts.filter(Boolean);
        }"""
    )


# A rich-text editor region (contributions/static/contributions/js/editor.js) stands for
# the hidden <textarea> it fills: it is reported as that textarea, under its name.
_ACTIVE = """() => {
  const el = document.activeElement;
  if (el.isContentEditable && el.id.endsWith("-editor")) {
    const source = document.getElementById(el.id.slice(0, -"-editor".length));
    return {tag: "textarea", type: "", name: source ? source.name : "", value: el.textContent, submit: false};
  }
  return {tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "", value: el.value || "",
          submit: el.type === "submit" || (el.tagName === "BUTTON" && !el.type)};
}"""


def fill_by_keyboard(page: Page, form: Locator, values: dict[str, str | bool]) -> list[str]:
    """Go through `form` with Tab alone, as a keyboard user: type `values[name]`
    in each field reached (after selecting what it held), press Space on a
    checkbox or radio whose "name=value" maps to True, then press Enter on the
    submit button. Every field reached must show a visible label, and every
    entry of `values` must be reached. Returns the names in focus order."""
    tab_to(
        page,
        form.locator(
            "input:not([type=hidden]):not([tabindex='-1']), textarea:not([tabindex='-1']), select, "
            "[contenteditable='true']"
        ).first,
    )
    reached: list[str] = []
    for _ in range(80):
        active = page.evaluate(_ACTIVE)
        if active["submit"]:
            break
        focused = form.locator(":focus")
        assert focused.count() == 1, f"the focus left the form after {reached}"
        assert focused.evaluate(_FOCUS_IS_VISIBLE), f"the focus on {active['name']} is not visible"
        if active["tag"] not in ("input", "textarea", "select"):
            page.keyboard.press("Tab")  # a link or a secondary button inside the form
            continue
        assert visible_label(focused), f"{active['name']!r} has no visible label"
        if active["type"] in ("checkbox", "radio"):
            key = f"{active['name']}={active['value']}"
            if values.get(key) is True:
                page.keyboard.press("Space")
                reached.append(key)
        elif active["name"] in values:
            page.keyboard.press("Control+A")
            page.keyboard.type(str(values[active["name"]]))
            reached.append(active["name"])
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"Tab never reached the submit button of {form}", pytrace=False)
    missing = set(values) - set(reached)
    assert not missing, f"Tab never reached {sorted(missing)} (focus order: {reached})"
    press_to_navigate(page, "Enter")
    return reached


def press_to_navigate(page: Page, key: str = "Enter") -> None:
    """Press `key` on the focused link or button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press(key)


def follow_mailed_link(page: Page, base_url: str, body: str, path: str) -> None:
    """Open, on the test server, the link to `path` that an e-mail's `body` holds
    (its host is the site's configured one, not the test server's)."""
    link = re.search(rf"https?://\S+{re.escape(path)}\S+", body)
    assert link, f"no link to {path} in the e-mail:\n{body}"
    page.goto(base_url + "/" + link.group(0).split("://", 1)[1].split("/", 1)[1])
