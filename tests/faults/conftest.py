"""The fault suite's private stack, started once per session.

Private PostgreSQL (cluster "faults" on 5433), Redis (6380, append-only file
like a production broker) and OpenSearch (9201) come from scripts/services.sh;
the site runs as gunicorn plus a Celery worker with beat, against them, with a
real SMTP server (aiosmtpd). Under CI=true a stack that cannot start fails the
suite; elsewhere (no root, no packages) it is skipped with the reason.

Each test leaves the services up, as it found them; the figures measured during
the outages are written to var/faults/figures.json and shown at the end.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
import redis
from celery import Celery

from tests.services import IN_CI
from tests.subscriptions.smtp import SMTPServer, free_port
from tests.subscriptions.worker import Worker

from .stack import PRIVATE, ROOT, VAR, PrivateServices, Site, wait_until

FAULTS_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The private stack listens on fixed ports: under pytest-xdist every fault
    test runs in one process (`--dist loadgroup`), never two stacks at once."""
    for item in items:
        if FAULTS_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.xdist_group("faults"))


def _unavailable(why: str):
    if IN_CI:
        pytest.fail(f"CI needs the fault suite's private services: {why}")
    pytest.skip(why)


class Stack:
    def __init__(self, services: PrivateServices, site: Site, smtp: SMTPServer, logs: Path):
        self.services, self.site, self.smtp, self.logs = services, site, smtp, logs
        self.worker: Worker | None = None
        self.figures: dict[str, dict] = {}

    def start_worker(self) -> Worker:
        self.worker = Worker(self.smtp.url, self.logs, env=self.site.env, beat=True)
        return self.worker

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.stop()

    def digest_tick(self, now: datetime, **options) -> dict:
        """What beat sends at the sending hour (for the day of ``now``), through the private broker."""
        # Not the current app: shared tasks of later tests in this process must stay on the site's app.
        client = Celery(
            "faults-client", broker=self.services.redis_url, backend=self.services.redis_url, set_as_current=False
        )
        try:
            result = client.send_task(
                "subscriptions.send_due_digests", args=("daily",), kwargs={"now": now.isoformat(), **options}
            )
            return result.get(timeout=60)
        finally:
            client.close()

    def record(self, fault: str, **figures) -> None:
        self.figures.setdefault(fault, {}).update(figures)

    def ensure_up(self) -> None:
        """Every service answering, the worker alive and the SMTP peer polite."""
        self.services.start()
        self.smtp.handler.refuse_always.clear()
        self.smtp.handler.rcpt_delay = 0
        if self.worker is None or self.worker.process.poll() is not None:
            self.start_worker()


def _site_env(services: PrivateServices, smtp: SMTPServer, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.subscriptions.worker_settings",
        "DATABASE_URL": services.database_url,
        "REDIS_URL": services.redis_url,
        "SEARCH_ENGINE": "opensearch",
        "SEARCH_URL": services.search_url,
        "SEARCH_INDEX_PREFIX": "hub_faults",
        "HUB_VAR_DIR": str(VAR / "site"),
        "EMAIL_URL": smtp.url,
        "SITE_URL": f"http://127.0.0.1:{port}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SECURE_COOKIES": "false",
        # Short delays, so that recovery happens within the test.
        "DEFERRED_TASKS_REQUEUE_SECONDS": "2",
        "SEARCH_ENGINE_RETRY_AFTER": "2",
        "SEARCH_INDEX_RETRY_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }


def _prepare_database(services: PrivateServices, site: Site, timings: dict) -> None:
    """Migrated while OpenSearch starts, then the demo and the scenario's members."""
    services.recreate_database()
    inline = {**site.env, "DJANGO_SETTINGS_MODULE": "tests.settings", "CELERY_TASK_ALWAYS_EAGER": "true"}
    start = time.monotonic()
    with (VAR / "logs" / "migrate.log").open("w") as log:
        migrate = subprocess.Popen(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=inline,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        timings["opensearch_start_s"] = round(services.start("opensearch"), 1)
        if migrate.wait(300):
            raise RuntimeError(f"migrate failed: {(VAR / 'logs' / 'migrate.log').read_text()[-3000:]}")
    timings["migrate_s"] = round(time.monotonic() - start, 1)
    # The demo is written to the database only, then indexed in one bulk pass,
    # which also creates the indices of models that have no object yet.
    setup = Site(env={**inline, "SEARCH_ENGINE": ""}, port=site.port, log=site.log)
    start = time.monotonic()
    setup.manage("load_demo", "--verbosity", "0")
    site.members = setup.seed()
    services.forget_search_indices()
    Site(env=inline, port=site.port, log=site.log).manage(
        "rebuild_search_index", "--backend", "default", "--verbosity", "0"
    )
    timings["demo_s"] = round(time.monotonic() - start, 1)
    # Nothing queued by an earlier session may run against this one.
    redis.Redis.from_url(services.redis_url).flushall()


@pytest.fixture(scope="session")
def stack():
    if not IN_CI and os.geteuid() != 0:
        _unavailable("the private services need root (pg_ctlcluster, apt-get); see scripts/services.sh")
    began = time.monotonic()
    VAR.mkdir(parents=True, exist_ok=True)
    # One fault session per machine: the private instances have fixed ports and
    # every session drops their database and stops them. CI runs alone and waits.
    lock = (VAR / ".session-lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | (0 if IN_CI else fcntl.LOCK_NB))
    except BlockingIOError:
        lock.close()
        pytest.skip("another fault-suite session is using the private services on this machine")
    services = PrivateServices()
    (VAR / "logs").mkdir(parents=True, exist_ok=True)
    try:
        services.start("postgres", "redis")
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"scripts/services.sh could not start private instances ({PRIVATE}): {exc}")
    port = free_port()
    with SMTPServer() as smtp:
        site = Site(env=_site_env(services, smtp, port), port=port, log=VAR / "logs" / "gunicorn.log")
        the_stack = Stack(services, site, smtp, VAR / "logs")
        timings = the_stack.figures.setdefault("setup", {})
        try:
            _prepare_database(services, site, timings)
            start = time.monotonic()
            site.start()
            the_stack.start_worker()
            timings["site_and_worker_s"] = round(time.monotonic() - start, 1)
            timings["total_s"] = round(time.monotonic() - began, 1)
            yield the_stack
        finally:
            site.stop()
            the_stack.stop_worker()
            services.stop()
            FIGURES.update(the_stack.figures)
            (VAR / "figures.json").write_text(json.dumps(the_stack.figures, indent=2))
            lock.close()


FIGURES: dict[str, dict] = {}


def pytest_terminal_summary(terminalreporter) -> None:
    if FIGURES:
        terminalreporter.section("fault suite figures (var/faults/figures.json)")
        for fault, figures in FIGURES.items():
            terminalreporter.write_line(f"{fault}: {json.dumps(figures)}")


@pytest.fixture
def healthy(stack):
    """The stack with every service up before the test breaks one."""
    stack.ensure_up()
    wait_until(lambda: stack.site.count("SELECT 1") == 1, what="the private database")
    return stack
