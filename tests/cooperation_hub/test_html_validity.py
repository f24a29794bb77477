"""Every public page is valid HTML, in French and in English (issue #15).

A second engine catches what axe-core does not: markup that the browser
repairs (a list of password rules inside a <span> inside a <p>, which leaves the
input's aria-describedby pointing at an empty element), forms with action="",
<time datetime> values that HTML rejects, skipped heading levels. The pages are
rendered with the test client into files and checked by the Nu Html Checker
(nu.validator on Maven Central, scripts/vnu/pom.xml) in ONE Java run: the JVM is
slow to start. Warnings are allowed, errors are not.

The checker's jars are fetched once with Maven into var/vnu/lib (outside the
test's own var/test). Locally, without Java or Maven, the test is skipped with
the reason; under CI=true it fails instead.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.services import IN_CI

ROOT = Path(__file__).resolve().parents[2]
VNU_POM = ROOT / "scripts" / "vnu" / "pom.xml"
VNU_LIB = ROOT / "var" / "vnu" / "lib"
VNU_MAIN = "nu.validator.client.SimpleCommandLineValidator"

pytestmark = [pytest.mark.validator, pytest.mark.slow]


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI needs the Nu Html Checker: {reason}")
    pytest.skip(reason)


def fetch_validator() -> Path:
    """The folder of the checker's jars, fetched with Maven the first time."""
    if list(VNU_LIB.glob("validator-*.jar")):
        return VNU_LIB
    if not shutil.which("java"):
        _unavailable("Java is not installed (the Nu Html Checker runs on Java 17)")
    if not shutil.which("mvn"):
        _unavailable(f"Maven is not installed, and {VNU_LIB} holds no checker to use")
    done = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(VNU_POM), "dependency:copy-dependencies", f"-DoutputDirectory={VNU_LIB}"],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    if done.returncode != 0 or not list(VNU_LIB.glob("validator-*.jar")):
        _unavailable(f"Maven could not fetch the checker: {(done.stdout + done.stderr)[-2000:]}")
    return VNU_LIB


def validate(files: list[Path]) -> list[dict]:
    """The checker's errors for all these files, from a single Java run."""
    lib = fetch_validator()
    if not shutil.which("java"):
        _unavailable("Java is not installed (the Nu Html Checker runs on Java 17)")
    done = subprocess.run(
        ["java", "-Xss4m", "-cp", f"{lib}/*", VNU_MAIN, "--format", "json", "--stdout", "--errors-only", *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    try:
        messages = json.loads(done.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(
            f"the checker did not answer in JSON (exit {done.returncode}): {done.stdout[-1000:]} {done.stderr[-2000:]}"
        )
    return [m for m in messages if m.get("type") in {"error", "non-document-error"}]


def _first_link(html: str, pattern: str) -> str:
    match = re.search(pattern, html)
    assert match, f"no link matching {pattern}"
    return match.group(1)


def public_pages(client, language: str) -> dict[str, tuple[str, str]]:
    """Every public page type in one language: name -> (path, HTML)."""
    from contributions.models import ConsultationPage, Contribution

    def get(path: str, status: int = 200) -> str:
        response = client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return response.content.decode()

    pages: dict[str, tuple[str, str]] = {}

    def add(name: str, path: str, status: int = 200) -> str:
        html = get(path, status)
        pages[name] = (path, html)
        return html

    lang = f"/{language}"
    add("home", f"{lang}/")
    listing = add("experiences", f"{lang}/experiences/")
    add("experiences-filtered", f"{lang}/experiences/?region=south&sort=title")
    add("experiences-nothing", f"{lang}/experiences/?q=zzzqqqxxx")
    report = _first_link(listing, rf'href="({lang}/experiences/(?!city/|map/|feed/|theme/|tag/)[\w-]+/)"')
    report_html = add("report", report)
    add("city", _first_link(report_html, rf'href="({lang}/experiences/city/[\w-]+/)"'))
    add("peers", _first_link(report_html, rf'href="({lang}/cities/[\w-]+/peers/)"'))
    add("map", f"{lang}/experiences/map/")
    consultations = add("consultations", f"{lang}/consultations/")
    assert consultations
    open_consultation = next(c for c in ConsultationPage.objects.live().specific() if c.window_state() == "open")
    path = next(p for p in (open_consultation.get_translation_or_none(loc) for loc in _locales(language)) if p).url
    add("consultation-open", path)
    add("synthesis", f"{path}synthesis/")
    contribution = Contribution.objects.filter(consultation=open_consultation).order_by("pk").first() or (
        Contribution.objects.order_by("pk").first()
    )
    if contribution is not None:
        # On the consultation of the page's language, whose slug is its own (the English one is English).
        consultation = contribution.consultation
        shown = next(p for p in (consultation.get_translation_or_none(loc) for loc in _locales(language)) if p)
        add("contribution", shown.specific.contribution_url(contribution.pk))
    add("search", f"{lang}/search/?q=energie")
    add("search-empty", f"{lang}/search/")
    add("subscribe", f"{lang}/subscribe/")
    add("sign-in", f"{lang}/accounts/login/")
    add("sign-up", f"{lang}/accounts/signup/")
    add("privacy", f"{lang}/privacy/")
    add("not-found", f"{lang}/no-such-page/", status=404)
    # The sign-up form with its errors: the messages' markup counts too.
    response = client.post(f"{lang}/accounts/signup/", {"email": "not-an-address", "password1": "a", "password2": "b"})
    assert response.status_code == 200
    pages["sign-up-errors"] = (f"{lang}/accounts/signup/ (POST)", response.content.decode())
    return pages


def _locales(language: str):
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=language)


@pytest.mark.django_db
def test_every_public_page_is_valid_html_in_both_languages(client, demo, tmp_path):
    files: dict[Path, str] = {}
    for language in ("fr", "en"):
        for name, (path, html) in public_pages(client, language).items():
            file = tmp_path / f"{language}-{name}.html"
            file.write_text(html, encoding="utf-8")
            files[file] = path
    # A member's view of the open consultation, with the contribution form.
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.get(username="contributor")
    client.force_login(member)
    for language in ("fr", "en"):
        html = client.get(f"/{language}/consultations/").content.decode()
        path = _first_link(html, rf'href="(/{language}/consultations/[\w-]+/)"')
        for name, page_path in (("member-consultation", path), ("member-profile", f"/{language}/accounts/profile/")):
            response = client.get(page_path)
            assert response.status_code == 200, page_path
            file = tmp_path / f"{language}-{name}.html"
            file.write_text(response.content.decode(), encoding="utf-8")
            files[file] = page_path

    # Every page but the error page says what it is about to search engines and link previews.
    described = {f.name for f in files if re.search(r'<meta name="description" content="[^"]+', f.read_text())}
    assert {f.name for f in files if "not-found" not in f.name} <= described

    errors = validate(list(files))

    by_file = {Path(file).name: path for file, path in files.items()}
    report = [
        f"{by_file.get(Path(e.get('url', '')).name, e.get('url'))} line {e.get('lastLine')}: {e.get('message')}"
        f" [{e.get('extract', '').strip()}]"
        for e in errors
    ]
    assert not report, f"{len(report)} HTML errors:\n" + "\n".join(report)
