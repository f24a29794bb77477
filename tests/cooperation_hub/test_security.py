"""Production settings pass Django's deployment checks; language-neutral paths stay themselves."""

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
    })  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "cooperation_hub.settings", "HUB_VAR_DIR": str(tmp_path)})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/nothing-here/", "/api/experiences/no-such-report/comparable/", "/admin-nothing/"])
def test_a_missing_api_object_is_a_404_not_a_redirect_to_a_language(client, path):
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code == 404
    else:
        # Reader paths still get their language prefix.
        assert response.status_code == 302 and response["Location"].startswith(("/fr/", "/en/"))
