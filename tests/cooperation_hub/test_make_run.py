"""`make run` started the way the README and the walks start it, with HUB_VAR_DIR set (issue #15):
the site kept its database and mail there, but the worker's beat schedule and log still went to
./var, and the banner sent people to var/outbox/ where no e-mail ever landed."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dry_run(**env: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    base = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    result = subprocess.run(
        ["make", "-n", "-o", "install", "run"], cwd=ROOT, env=base | env, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_make_run_keeps_the_worker_files_and_the_mail_in_hub_var_dir():
    plan = _dry_run(HUB_VAR_DIR="/tmp/elsewhere-var", PORT="8150")
    assert "--schedule=/tmp/elsewhere-var/celerybeat-schedule" in plan
    assert ">/tmp/elsewhere-var/celery.log" in plan
    assert "mail   /tmp/elsewhere-var/outbox/" in plan
    assert "var/celery.log" not in plan.replace("/tmp/elsewhere-var/celery.log", "")


def test_make_run_without_hub_var_dir_still_uses_var():
    plan = _dry_run(PORT="8150")
    assert "--schedule=var/celerybeat-schedule" in plan and "mail   var/outbox/" in plan
