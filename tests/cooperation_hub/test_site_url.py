"""Links follow the address the site is served on: SITE_URL defaults to HOST
and PORT (`PORT=8101 make run`), and Wagtail's Site (the API's html_url,
workflow e-mails) follows SITE_URL instead of staying at localhost:80."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from wagtail.models import Site

from cooperation_hub.sites import site_address, sync_after_migrate, sync_default_site
from experiences.models import ExperiencePage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _forget_the_moved_site():
    """Wagtail caches the sites' root URLs outside the rolled-back database."""
    yield
    Site.clear_site_root_paths_cache()


def _settings_with(var_dir: Path | None = None, **env: str) -> dict:
    """SITE_URL and ALLOWED_HOSTS as a fresh process computes them from this environment
    (and a var directory of its own: not one a `make run` left its address in)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT", "DJANGO_ALLOWED_HOSTS")}
    clean.update({"DJANGO_SETTINGS_MODULE": "cooperation_hub.settings", "DJANGO_DEBUG": "1", **env})
    if var_dir is None:
        import tempfile

        var_dir = Path(tempfile.mkdtemp(prefix="site-url-"))
    clean["HUB_VAR_DIR"] = str(var_dir)
    probe = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'site_url': settings.SITE_URL, 'hosts': settings.ALLOWED_HOSTS}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_site_url_follows_the_port_served_on():
    assert _settings_with(PORT="8101")["site_url"] == "http://127.0.0.1:8101"
    assert _settings_with()["site_url"] == "http://127.0.0.1:8000"


def test_site_url_follows_the_host_and_a_wildcard_bind_is_reached_on_the_loopback():
    served = _settings_with(HOST="192.168.1.20", PORT="8101")
    assert served["site_url"] == "http://192.168.1.20:8101"
    assert "192.168.1.20" in served["hosts"]  # the address linked to is also allowed
    assert _settings_with(HOST="0.0.0.0", PORT="9000")["site_url"] == "http://127.0.0.1:9000"


def test_a_command_run_beside_make_run_links_to_the_address_it_serves(tmp_path):
    """`PORT=8101 make run`, then `manage.py send_digests --preview` in another shell: the
    preview's links pointed at :8000, where nothing answered."""
    (tmp_path / "served.env").write_text("HOST=127.0.0.1\nPORT=8101\n")
    assert _settings_with(var_dir=tmp_path)["site_url"] == "http://127.0.0.1:8101"
    # What is set in the command's own environment still wins.
    assert _settings_with(var_dir=tmp_path, PORT="9000")["site_url"] == "http://127.0.0.1:9000"


def test_make_run_leaves_the_address_it_serves_for_the_commands_beside_it(tmp_path):
    recipe = subprocess.run(
        ["make", "-n", "run", f"HUB_VAR_DIR={tmp_path}"],
        cwd=ROOT, env={**os.environ, "PORT": "8101"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "PORT=%s" in recipe.stdout and "'8101'" in recipe.stdout and f"{tmp_path}/served.env" in recipe.stdout


def test_an_explicit_site_url_wins_over_host_and_port():
    assert _settings_with(SITE_URL="https://hub.example.org/", PORT="8101")["site_url"] == "https://hub.example.org"


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1:8101", ("127.0.0.1", 8101)),
        ("https://hub.example.org", ("hub.example.org", 443)),
        ("http://hub.example.org", ("hub.example.org", 80)),
    ],
)
def test_site_address(url, address):
    assert site_address(url) == address


@pytest.mark.django_db
def test_the_wagtail_site_follows_site_url_and_so_do_the_api_links(client, demo, settings):
    settings.SITE_URL = "https://hub.example.org"
    assert sync_default_site()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("hub.example.org", 443)
    page = ExperiencePage.objects.live().get(external_id="dubai-happiness-index", locale__language_code="en")
    detail = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert detail["meta"]["html_url"] == f"https://hub.example.org{page.url}"


@pytest.mark.django_db
def test_load_demo_points_the_site_at_site_url(demo, settings):
    from django.core.management import call_command

    settings.SITE_URL = "http://127.0.0.1:8105"
    call_command("load_demo", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8105)


@pytest.mark.django_db
def test_after_migrate_only_wagtails_localhost_80_is_replaced(demo, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    site = Site.objects.get(is_default_site=True)
    Site.objects.filter(pk=site.pk).update(hostname="localhost", port=80)
    sync_after_migrate(sender=None)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8101)
    Site.objects.filter(pk=site.pk).update(hostname="hub.example.org", port=443)  # chosen in the admin
    sync_after_migrate(sender=None)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("hub.example.org", 443)


def _debug_apps(**env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG_TOOLBAR"}
    clean.update({"DJANGO_SETTINGS_MODULE": "cooperation_hub.settings", "DJANGO_DEBUG": "1", **env})
    probe = "import json; from django.conf import settings; print(json.dumps(settings.INSTALLED_APPS))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_shows_the_product_without_a_debug_toolbar_unless_asked():
    assert "debug_toolbar" not in _debug_apps()
    assert "debug_toolbar" in _debug_apps(DJANGO_DEBUG_TOOLBAR="1")
