"""Production settings pass Django's deployment checks; language-neutral paths stay themselves."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_deployment_checks_are_clean_under_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "cooperation_hub.settings", "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_HSTS_SECONDS": "31536000", "DJANGO_SSL_REDIRECT": "1", "HUB_VAR_DIR": str(tmp_path),
        "ANYMAIL_WEBHOOK_SECRET": "hub:" + secrets.token_urlsafe(24),
    })  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "cooperation_hub.settings", "HUB_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/nothing-here/", "/api/experiences/no-such-report/comparable/"])
def test_a_missing_api_object_is_a_404_not_a_redirect_to_a_language(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_a_reader_path_without_a_language_still_gets_its_prefix(client):
    response = client.get("/admin-nothing/")
    assert response.status_code == 302 and response["Location"].startswith(("/fr/", "/en/"))


PUBLIC_PAGES = [
    "/fr/",
    "/en/experiences/",
    "/en/experiences/map/",
    "/fr/search/?q=ecole",
    "/fr/subscribe/",
    "/en/accounts/login/",
    "/api/search/?q=ecole",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_allow_only_their_own_scripts_styles_and_frames(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";") if d.strip())
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:" and policy["object-src"] == "'none'"
    assert (
        policy["frame-ancestors"] == "'self'" and policy["form-action"] == "'self'" and policy["base-uri"] == "'self'"
    )
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_admin_keeps_its_inline_code_but_cannot_be_framed_elsewhere(client, demo):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.filter(is_superuser=True).first()
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_production_cookies_are_secure_http_only_and_same_site(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cooperation_hub.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "HUB_VAR_DIR": str(tmp_path),
        }
    )
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The last line: `shell` may first say what it imported.
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "True", "Lax", "Lax"], result.stderr


def _production_request(tmp_path, extra_env: dict[str, str], **headers: str) -> list[str]:
    """(status, Location, Strict-Transport-Security) of GET /healthz under production settings,
    behind a TLS terminator that says X-Forwarded-Proto (no database needed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cooperation_hub.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "hub.example.org",
            "HUB_VAR_DIR": str(tmp_path),
            **extra_env,
        }
    )
    code = (
        f"import json; from django.test import Client; r = Client().get('/healthz', HTTP_HOST='hub.example.org', "
        f"**{headers!r}); print(json.dumps([r.status_code, r.get('Location', ''), "
        f"r.get('Strict-Transport-Security', '')]))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_hsts_and_https_redirect_follow_the_environment_behind_a_proxy(tmp_path):
    production = {"DJANGO_HSTS_SECONDS": "31536000", "DJANGO_SSL_REDIRECT": "1"}
    # Through the TLS terminator: the header with our defaults (subdomains, preload).
    assert _production_request(tmp_path, production, HTTP_X_FORWARDED_PROTO="https") == [
        200,
        "",
        "max-age=31536000; includeSubDomains; preload",
    ]
    # Plain HTTP reaching the site: sent to HTTPS, never served.
    status, location, _ = _production_request(tmp_path, production, HTTP_X_FORWARDED_PROTO="http")
    assert status == 301 and location == "https://hub.example.org/healthz"
    # Not configured (a site not yet on HTTPS): no header that would lock browsers out for a year.
    assert _production_request(tmp_path, {}, HTTP_X_FORWARDED_PROTO="https")[2] == ""
