"""The private stack the fault suite breaks: PostgreSQL, Redis and OpenSearch
started by scripts/services.sh on ports of their own, the site served by
gunicorn and a Celery worker (with beat), all as subprocesses.

The shared instances (5432, 6379, 9200) that the rest of the suite and other
developers use are never touched.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

from tests.services import drop_database

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "faults"
SCRIPT = ROOT / "scripts" / "services.sh"

# Ports next to the shared ones, unlikely to be taken on a developer's machine.
PRIVATE = {
    "PG_PORT": "5433", "PG_CLUSTER": "faults", "PG_DB": "hub_faults",
    "REDIS_PORT": "6380", "REDIS_DIR": str(VAR / "services" / "redis"), "REDIS_PERSIST": "1",
    "OS_HTTP_PORT": "9201", "OS_TRANSPORT_PORT": "9301", "OS_CLUSTER_NAME": "hub-faults",
    "OS_DIR": str(VAR / "services" / "opensearch"), "OPENSEARCH_JAVA_OPTS": "-Xms256m -Xmx512m",
}  # fmt: skip


def wait_until(
    predicate: Callable[[], object], timeout: float = 60, what: str = "condition", interval: float = 0.5
) -> float:
    """Poll ``predicate`` until it is true; returns the seconds it took."""
    start = time.monotonic()
    while True:
        try:
            if predicate():
                return time.monotonic() - start
        except Exception:  # a service still coming back
            pass
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class PrivateServices:
    """scripts/services.sh with the private locations; every call is logged."""

    def __init__(self) -> None:
        VAR.mkdir(parents=True, exist_ok=True)
        self.log = VAR / "services.log"
        self.env = {**os.environ, **PRIVATE}

    def _run(self, action: str, *services: str) -> float:
        start = time.monotonic()
        with self.log.open("a") as log:
            log.write(f"\n== services.sh {action} {' '.join(services)}\n")
            log.flush()
            done = subprocess.run(
                ["bash", str(SCRIPT), action, *services],
                env=self.env,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                timeout=300,
            )
        if done.returncode:
            raise RuntimeError(
                f"services.sh {action} {' '.join(services)} failed; see {self.log}:\n" + self.log.read_text()[-3000:]
            )
        return time.monotonic() - start

    def start(self, *services: str) -> float:
        return self._run("start", *services)

    def stop(self, *services: str) -> float:
        return self._run("stop", *services)

    def restart(self, *services: str) -> float:
        return self._run("restart", *services)

    @property
    def database_url(self) -> str:
        return f"postgres://hub:hub@127.0.0.1:{PRIVATE['PG_PORT']}/{PRIVATE['PG_DB']}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{PRIVATE['REDIS_PORT']}/0"

    @property
    def search_url(self) -> str:
        return f"http://127.0.0.1:{PRIVATE['OS_HTTP_PORT']}"

    def recreate_database(self) -> None:
        """An empty database for this session (the cluster itself is kept between runs)."""
        admin = f"postgres://hub:hub@127.0.0.1:{PRIVATE['PG_PORT']}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            drop_database(conn, PRIVATE["PG_DB"])
            conn.execute(f"CREATE DATABASE {PRIVATE['PG_DB']} ENCODING 'UTF8' TEMPLATE template0")
            # Quicker migrations; a clean stop (every restart here) still loses nothing.
            conn.execute(f"ALTER DATABASE {PRIVATE['PG_DB']} SET synchronous_commit = off")

    def forget_search_indices(self) -> None:
        requests.delete(f"{self.search_url}/hub_faults_*", timeout=30)


@dataclass
class Site:
    """gunicorn serving cooperation_hub.wsgi, plus the environment the worker shares with it."""

    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen | None = None
    members: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def seed(self) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults.seed"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode:
            raise RuntimeError(f"seeding failed:\n{done.stderr[-3000:]}")
        self.members = json.loads(done.stdout.strip().splitlines()[-1])
        return self.members

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cooperation_hub.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(
            lambda: requests.get(f"{self.url}/fr/", timeout=5).status_code == 200,
            timeout=60,
            what="gunicorn to serve the home page",
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def sql(self, query: str, *params) -> list[tuple]:
        """What the database holds, read directly (never through the site under test)."""
        with psycopg.connect(self.env["DATABASE_URL"], connect_timeout=5) as conn:
            return conn.execute(query, params).fetchall()

    def count(self, query: str, *params) -> int:
        return self.sql(query, *params)[0][0]


class Visitor:
    """A browser-less person using the site over HTTP (cookies, CSRF)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.http = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.site.url + path, timeout=30, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        if "csrftoken" not in self.http.cookies:
            self.get(path)
        data = {**data, "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", "")}
        return self.http.post(self.site.url + path, data=data, timeout=30, allow_redirects=False, **kwargs)

    def sign_in(self, login: str, password: str) -> Visitor:
        self.get("/fr/accounts/login/")
        response = self.post("/fr/accounts/login/", {"login": login, "password": password})
        assert response.status_code == 302, response.text[-2000:]
        return self

    def sign_in_admin(self, username: str, password: str) -> Visitor:
        self.get("/admin/login/")
        response = self.post("/admin/login/", {"username": username, "password": password})
        assert response.status_code == 302, response.text[-2000:]
        return self


def page_text(response: requests.Response) -> str:
    """The visible text of a page, roughly (enough to look for words)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
