"""What a second accessibility pass found beyond axe-core (issue #15), checked
without a browser: form help that assistive technology can reach, French dates
and numbers, French typography, a focus ring that shows on the light paper,
and the header's menu button. The HTML validity of every page is checked in
test_html_validity.py, the narrow-screen layout in test_mobile_browser.py."""

import re
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup

from tests.hostile import database_search_only  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/fr/LC_MESSAGES/django.po")) + [ROOT / "locale/fr/LC_MESSAGES/django.po"]
HUB_CSS = ROOT / "cooperation_hub" / "static" / "css" / "hub.css"
PHRASING = {"span", "label", "a", "em", "strong", "small", "b", "i", "code"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_sign_up_password_rules_are_what_the_password_field_describes(client, demo, language):
    html = client.get(f"/{language}/accounts/signup/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    password = soup.find("input", attrs={"name": "password1"})
    described_by = password.get("aria-describedby", "").split()
    assert described_by, "the password input names no description"
    help_ = soup.find(id=described_by[0])
    rules = [li.get_text(" ", strip=True) for li in help_.find_all("li")]
    assert len(rules) >= 3 and any("8" in rule for rule in rules)
    # A browser tears a list out of a <p> (and out of a <span> within it), which
    # would leave the description empty: the help must be block markup outside any <p>.
    assert help_.name not in PHRASING and help_.find_parent("p") is None
    assert password.find_parent("p") is None


@pytest.mark.django_db
def test_a_form_with_errors_ties_each_message_to_its_field(client, demo):
    response = client.post("/en/accounts/signup/", {"email": "not-an-address", "password1": "a", "password2": "b"})
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    email = soup.find("input", attrs={"name": "email"})
    assert email.get("aria-invalid") == "true"
    ids = email.get("aria-describedby", "").split()
    messages = [soup.find(id=i) for i in ids]
    assert any(m is not None and "valid" in m.get_text().lower() for m in messages), ids


@pytest.mark.django_db
def test_a_french_report_writes_the_population_with_non_breaking_spaces(client, demo):
    from experiences.models import ExperiencePage

    report = next(
        p for p in ExperiencePage.objects.live().filter(locale__language_code="fr").select_related("city")
        if p.city.population and p.city.population >= 1000
    )  # fmt: skip
    html = client.get(report.url).content.decode()
    population = f"{report.city.population:,}".replace(",", "\u00a0")
    assert f"{population} habitants" in html
    english = ExperiencePage.objects.live().get(translation_key=report.translation_key, locale__language_code="en")
    assert f"{report.city.population:,} inhabitants" in client.get(english.url).content.decode()


@pytest.mark.django_db
def test_french_size_labels_never_break_inside_a_number(client, demo):
    html = client.get("/fr/experiences/").content.decode()
    assert "Métropole (&gt;\u00a01\u00a0000\u00a0000)" in html
    assert "(&gt; 1 000 000)" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("database_search_only")
def test_dates_on_a_french_page_are_french_and_machine_dates_are_valid(client, demo):
    # On the database backend: an engine's index keeps what earlier tests wrote and rolled back.
    html = client.get("/fr/search/").content.decode()  # everything, newest first, each with its date
    times = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', html)
    assert times
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")  # fmt: skip
    for machine, shown in times:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z))?", machine), machine
        assert any(month in shown for month in months) and not re.search(r"\d{4}-\d\d-\d\d", shown), shown


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_catalogues_keep_a_non_breaking_space_before_double_signs(po_path):
    """French typography: "Merci : …", "Déjà abonné ?", « … » never break before the sign."""
    offenders = []
    for entry in polib.pofile(str(po_path)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if re.search(r" [:;?!»]|« ", text):
                offenders.append(text)
    assert offenders == []


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_has_a_dark_companion_that_shows_on_the_paper():
    css = HUB_CSS.read_text()
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    # The yellow alone is too pale on the light paper (WCAG 1.4.11 asks 3:1)...
    assert _contrast(variables["focus"], variables["paper"]) < 3
    # ...so every :focus-visible also draws a ring in a colour that has the contrast.
    rules = re.findall(r"(?m)^:focus-visible\s*\{([^}]*)\}", css)
    shadow = next(r for r in rules if "box-shadow" in r)
    companions = re.findall(r"var\(--([\w-]+)\)", shadow.split("box-shadow", 1)[1])
    assert any(_contrast(variables[name], variables["paper"]) >= 3 for name in companions), companions


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_header_has_a_menu_button_for_narrow_screens(client, demo, language):
    html = client.get(f"/{language}/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    button = soup.select_one("header button.menu-toggle")
    nav = soup.find(id=button["aria-controls"])
    assert nav.name == "nav" and button.has_attr("aria-expanded")
    # Without the script the button is hidden and the navigation shown; with it, a static file (CSP).
    assert button.has_attr("hidden") and not nav.has_attr("hidden")
    script = soup.find("script", src=re.compile(r"/static/js/menu\.js$"))
    assert script is not None and (ROOT / "cooperation_hub/static/js/menu.js").exists()
