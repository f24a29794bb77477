"""Load benchmark: the site served the production way, under a mix of visitors.

    python -m bench.load [--users 50,200] [--duration 60] [--spawn-rate N] [--experiences 1000]

Each run starts from scratch on the running services: it drops and creates
the PostgreSQL database ``hub_loadbench``, empties Redis database 15, migrates,
loads the demo content plus generated experience reports (bench/search's
generator), opens the demo consultation, builds the OpenSearch index under the
prefix ``hub_loadbench``, collects the static files and starts gunicorn (DEBUG
off, a random secret key) and a Celery worker. Then, for each number of users,
locust runs headless (bench/load/locustfile.py) and the contributions, replies
and supports it saw accepted are counted in the database. Prints a table per
user level and page type; exits non-zero on any 5xx or lost contribution.
Services: DATABASE_URL's server (default postgres://hub:hub@127.0.0.1:5432),
REDIS_URL's (default 127.0.0.1:6379), SEARCH_URL (default http://127.0.0.1:9200).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench-load"
DATABASE = "hub_loadbench"
# 2 cores shared with PostgreSQL, Redis, OpenSearch, Celery and locust itself:
# 3 processes of 4 threads keep both cores busy while requests wait on I/O
# (the database, Redis, OpenSearch), without more processes than cores can run.
GUNICORN_WORKERS, GUNICORN_THREADS = 3, 4


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def environment(port: int) -> dict[str, str]:
    database = urlsplit(os.environ.get("DATABASE_URL") or "postgres://hub:hub@127.0.0.1:5432/hub")
    redis = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_COOKIES": "false",  # plain HTTP on loopback: no TLS in front
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": urlunsplit(database._replace(path=f"/{DATABASE}")),
        "REDIS_URL": urlunsplit(redis._replace(path="/15")),
        "SEARCH_ENGINE": os.environ.get("SEARCH_ENGINE") or "opensearch",
        "SEARCH_URL": os.environ.get("SEARCH_URL") or "http://127.0.0.1:9200",
        "SEARCH_INDEX_PREFIX": "hub_loadbench",
        "HUB_VAR_DIR": str(VAR),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "ERROR",
        "PYTHONUNBUFFERED": "1",
    }


# --- Preparing the site ---------------------------------------------------------------
def recreate_database(env: dict[str, str]) -> None:
    import psycopg

    from tests.services import drop_database

    url = urlsplit(env["DATABASE_URL"])
    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        drop_database(connection, DATABASE)
        connection.execute(f"CREATE DATABASE {DATABASE}")
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env: dict[str, str], experiences: int) -> None:
    """Everything in the database and the index, then the targets file for locust."""
    say(f"database {DATABASE}: drop, create, migrate, demo content")
    recreate_database(env)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "-v0")
    say(f"generating and importing {experiences} experience pages")
    subprocess.run([sys.executable, "-m", "bench.load.prepare", str(experiences)], cwd=ROOT, env=env, check=True)
    say("collectstatic")
    manage(env, "collectstatic", "--noinput", "-v0")


# --- Processes ----------------------------------------------------------------------------
class Processes:
    """The site's processes, each in a group of its own, all ended on exit."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []

    def start(self, command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append(process)
        return process

    def stop(self) -> None:
        for process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.running.clear()


def serve(processes: Processes, env: dict[str, str], port: int) -> None:
    say(
        f"gunicorn on 127.0.0.1:{port}: {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads (gthread); "
        "Celery worker, concurrency 1"
    )
    bin_dir = Path(sys.executable).parent
    processes.start(
        [
            str(bin_dir / "gunicorn"),
            "cooperation_hub.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--threads",
            str(GUNICORN_THREADS),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--access-logfile",
            "-",
            # Longer than a visitor's pause between two requests: the server never
            # closes a kept-alive connection the client is about to reuse.
            "--keep-alive",
            "30",
        ],
        env,
        VAR / "gunicorn.log",
    )
    processes.start(
        [
            str(bin_dir / "celery"),
            "-A",
            "cooperation_hub",
            "worker",
            "--loglevel=warning",
            "--concurrency=1",
            "--pool=solo",
        ],
        env,
        VAR / "celery.log",
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"gunicorn did not answer on port {port}: see {VAR / 'gunicorn.log'}")


def warm_up(port: int) -> None:
    """One request per page type and worker first, so that no level pays for
    the workers' first imports and template compilation."""
    targets = json.loads((VAR / "targets.json").read_text())
    paths = [
        "/fr/",
        "/en/",
        "/fr/experiences/",
        "/en/experiences/map/",
        "/fr/experiences/feed/",
        targets["experiences"]["fr"][0],
        targets["consultation"]["fr"],
        targets["consultation"]["en"] + "synthesis/",
        "/fr/search/?q=climat",
        "/api/search/?q=bus",
        "/api/search/autocomplete/?q=bet",
        f"/api/experiences/{targets['external_ids'][0]}/comparable/",
        "/api/v2/pages/",
        f"/fr/cities/{targets['cities'][0]}/peers/",
        f"/fr/experiences/city/{targets['cities'][0]}/",
    ]
    for _ in range(GUNICORN_WORKERS):
        for path in paths:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60):
                pass


# --- One user level -----------------------------------------------------------------------
def run_level(env: dict[str, str], port: int, users: int, duration: int, spawn_rate: float) -> dict:
    marker = f"LT{users}x{int(time.time())}"
    prefix = VAR / f"users{users}"
    ledger = VAR / f"ledger-{users}.json"
    say(f"locust: {users} users, {duration} s, spawn rate {spawn_rate}/s, marker {marker}")
    locust_env = {**env, "LOAD_TARGETS": str(VAR / "targets.json"), "LOAD_LEDGER": str(ledger), "LOAD_MARKER": marker}
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            "bench/load/locustfile.py",
            "--headless",
            "--host",
            f"http://127.0.0.1:{port}",
            "-u",
            str(users),
            "-r",
            str(spawn_rate),
            "-t",
            f"{duration}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "10",
        ],
        cwd=ROOT,
        env=locust_env,
        stdout=subprocess.DEVNULL,
        stderr=open(VAR / f"locust-{users}.log", "w"),
    )  # exits 1 on any failure: read below
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    seen = json.loads(ledger.read_text())
    stored = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.load.prepare", "--count", marker],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    return {"users": users, "rows": rows, "seen": seen, "stored": stored, "marker": marker}


def report(level: dict, supports_seen: int) -> tuple[int, int]:
    """Prints the level's table; returns (5xx responses, lost writes)."""
    errors = level["seen"]["server_errors"]
    print(f"\n#### {level['users']} concurrent users\n")
    print("| page type | requests | rps | p50 ms | p95 ms | p99 ms | failures | 5xx |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in sorted(level["rows"], key=lambda r: (r["Name"] == "Aggregated", r["Type"] == "POST", r["Name"])):
        name = "**all**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        server_errors = sum(errors.values()) if row["Name"] == "Aggregated" else errors.get(row["Name"], 0)
        print(
            f"| {name} | {row['Request Count']} | {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} "
            f"| {row['99%']} | {row['Failure Count']} | {server_errors} |"
        )
    seen, stored = level["seen"], level["stored"]
    print(
        f"\ncontributions posted / stored: {seen['contributions']} / {stored['contributions']}; "
        f"replies {seen['replies']} / {stored['replies']}; "
        f"supports (all levels so far) {supports_seen} / {stored['supports']}"
    )
    lost = max(0, seen["contributions"] - stored["contributions"]) + max(0, seen["replies"] - stored["replies"])
    lost += max(0, supports_seen - stored["supports"])
    return sum(errors.values()), lost


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="50,200", help="comma-separated user levels (default 50,200)")
    parser.add_argument("--duration", type=int, default=60, help="seconds per level")
    parser.add_argument("--spawn-rate", type=float, default=0, help="users started per second (default users/10)")
    parser.add_argument("--experiences", type=int, default=1000, help="generated pages, half French, half English")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    levels = [int(n) for n in args.users.split(",") if n.strip()]
    VAR.mkdir(parents=True, exist_ok=True)
    env = environment(args.port)
    processes = Processes()
    # Ctrl-C and SIGTERM both go through the finally below.
    signal.signal(signal.SIGTERM, _interrupt)
    results, supports_seen = [], set()
    try:
        prepare(env, args.experiences)
        serve(processes, env, args.port)
        say("warming up")
        warm_up(args.port)
        for users in levels:
            level = run_level(env, args.port, users, args.duration, args.spawn_rate or max(1.0, users / 10))
            supports_seen |= {tuple(pair) for pair in level["seen"]["supports"]}
            results.append((level, len(supports_seen)))
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    finally:
        say("stopping gunicorn and the Celery worker")
        processes.stop()
    print(
        f"\n### Load benchmark: gunicorn {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads, PostgreSQL, "
        f"Redis, {env['SEARCH_ENGINE']}; {args.experiences} generated pages + demo; {args.duration} s per level"
    )
    failures = 0
    for level, supports in results:
        server_errors, lost = report(level, supports)
        failures += server_errors + lost
    print("\nresult:", "no 5xx, no lost contribution" if not failures else f"{failures} 5xx or lost writes")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
