"""The bounded soak (issue #16): bench.load's locust mix on the reference topology while a chaos
schedule drawn from a printed seed kills and restarts a web node, a Celery worker in the middle
of a digest batch, an OpenSearch node, Redis and PostgreSQL.

    python -m bench.chaos --soak [--users 100] [--duration 300] [--subscribers 2000] [--seed N]
                                 [--accounts 40] [--smtp-port 2526] [--no-start] [--stop]

The full run (a quiet 2-core machine, about 15 minutes with the topology's start and the checks):

    sudo .venv/bin/python -m bench.chaos --soak --users 100 --duration 300 --subscribers 2000 --stop

The small one this was verified with (a shared, loaded machine):

    sudo .venv/bin/python -m bench.chaos --soak --users 20 --duration 120 --subscribers 300 --stop

What it does:

1. Starts an SMTP sink (aiosmtpd, tests/subscriptions/smtp.py's recording handler; each message
   also written to var/soak/mail/<recipient>/) and the topology (scripts/topology.sh) with a
   PostgreSQL cluster of its own ("soak" on 5434: the shared one on 5432 is never stopped), its
   state under var/soak/topology, EMAIL_URL pointing at the sink. Stated changes from production:
   deferred work re-queued every 15 s (DEFERRED_TASKS_REQUEUE_SECONDS, default 60), the search
   engine re-tried after 5 s (SEARCH_ENGINE_RETRY_AFTER, default 30), index retries every 2 s.
2. Makes fresh members (--accounts) and --subscribers confirmed daily subscriptions due a digest
   now (bench/chaos/soak_data.py, the subscriptions app's model).
3. Runs locust headless against the balancer (bench/chaos/locustfile.py: bench.load's readers,
   searchers and API clients; members posting contributions, replies and supports; subscribers
   subscribing and confirming from the e-mail's link) with --users for --duration seconds, or
   longer if the chaos schedule is not over (then the load stops when the last fault is repaired).
4. The chaos schedule (seeded; `--seed` replays it): the five faults in a random order, at random
   times in consecutive slots, never two at once (each waits for the previous one's repair):
   - web: SIGKILL of web1 or web2's process group; restarted after a random pause; the balancer
     must take it out and put it back;
   - worker: the digest tick (`subscriptions.send_due_digests`, what beat sends at the sending
     hour) is queued, and once digests reach the sink, worker1 or worker2 is SIGKILLed in the
     middle of its batch; restarted after a pause;
   - os: SIGKILL of os1 (the cluster manager) or os2; searches must keep coming from the engine;
   - redis: SIGKILL (append-only file: queued tasks survive; requests meanwhile defer their tasks
     to the database, re-queued by beat);
   - postgres: an immediate stop (a crash: no checkpoint, WAL replayed at start) of the soak's
     own cluster, started again after a pause; the only window where 503 + Retry-After is allowed.
5. Settles: waits for the queue to drain and the deferred tasks to be re-queued, then sends the
   catch-up tick (what beat sends every 15 minutes) with a stale age suited to the run, so the
   claims the killed worker left behind are re-tried; waits for the digests.
6. Counts, and exits 1 on any failed check:
   - every contribution, reply and support acknowledged to a user is stored exactly once;
     every subscription acknowledged is stored, every confirmation acknowledged is confirmed;
   - every digest due is sent exactly once: the deliveries ledger (state "sent") and the messages
     the sink received, per address;
   - the engine's index matches the database without a manual rebuild: the objects indexed
     (count, missing, orphans) and a sample of documents (their fingerprint against the object's);
   - no task lost: no deferred task left, the broker's queue empty, every acknowledged
     subscription got its confirmation e-mail;
   - during the run: no 5xx but 503 with Retry-After while PostgreSQL is down (or HAProxy's 503
     for a request cut by the web node's crash, and connections closed unanswered for requests
     in flight at that kill, as in the short form); the balancer takes the dead node out and puts
     it back; search answers from the engine (X-Search-Backend: engine) while an engine node is
     down.
   Prints a per-second timeline (requests, errors, 503s, p95, faults) and writes it as an SVG
   chart (var/soak/timeline.svg) and JSON (var/soak/timeline.json).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from email import policy
from email.parser import BytesParser
from pathlib import Path

import redis
import requests

from tests.subscriptions.smtp import RecordingHandler, SMTPServer

from . import __main__ as short

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "soak"
TOPOLOGY = ROOT / "scripts" / "topology.sh"
LB = short.LB
FAULTS = ["web", "worker", "os", "redis", "postgres"]
SOAK_ENV = {
    "TOPO_VAR": str(VAR / "topology"),
    "TOPO_PG_PORT": "5434",
    "TOPO_PG_CLUSTER": "soak",
    "TOPO_PG_DB": "hub_soak",
    "DEFERRED_TASKS_REQUEUE_SECONDS": "15",
    "SEARCH_ENGINE_RETRY_AFTER": "5",
    "SEARCH_INDEX_RETRY_SECONDS": "2",
}
OS_PORTS = {"os1": 9205, "os2": 9206}


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class FileRecordingHandler(RecordingHandler):
    """The suite's recording handler; each message also written as text for the locust subscribers."""

    def __init__(self, maildir: Path) -> None:
        super().__init__()
        self.maildir = maildir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        for rcpt in envelope.rcpt_tos:
            folder = self.maildir / rcpt.lower()
            folder.mkdir(parents=True, exist_ok=True)
            with self.lock:
                self.count += 1
                n = self.count
            (folder / f"{n:07d}.eml").write_text(f"Subject: {message['Subject']}\n\n{text}")
        return answer


class Sink(SMTPServer):
    def __init__(self, port: int, maildir: Path) -> None:
        from aiosmtpd.controller import Controller

        self.handler = FileRecordingHandler(maildir)
        self.port = port
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)


class Topology:
    def __init__(self, smtp_url: str) -> None:
        self.env = {**os.environ, **SOAK_ENV, "EMAIL_URL": smtp_url}

    def __call__(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["bash", str(TOPOLOGY), *args], cwd=ROOT, env=self.env, capture_output=True, text=True)
        if check and done.returncode:
            raise RuntimeError(f"topology.sh {' '.join(args)}: {done.stderr[-1500:]}")
        return done.stdout

    def site_env(self) -> dict[str, str]:
        env = {}
        for line in self("env").splitlines():
            if line.startswith("export ") and "=" in line:
                name, _, value = line[len("export ") :].partition("=")
                env[name] = value.strip("'")
        return {**os.environ, **env}


def django_side(env: dict[str, str], *args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.chaos.soak_data", *args], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait(predicate, timeout: float, interval: float = 0.5) -> float | None:
    """Seconds until predicate() is true, None if it never was within timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if predicate():
                return time.monotonic() - start
        except Exception:  # a piece still coming back
            pass
        time.sleep(interval)
    return None


def readyz_ok() -> bool:
    return requests.get(f"{LB}/readyz", timeout=5).status_code == 200


def cluster_nodes() -> int:
    for port in OS_PORTS.values():
        try:
            return requests.get(f"http://127.0.0.1:{port}/_cluster/health", timeout=3).json()["number_of_nodes"]
        except (requests.RequestException, ValueError, KeyError):
            continue
    return 0


class Chaos:
    """The schedule and its execution; every step is an event on the shared clock (time.time())."""

    def __init__(self, rng: random.Random, duration: float, topology: Topology, env: dict, sink: Sink, run: str,
                 digest_domain: str, subscribers: int) -> None:  # fmt: skip
        self.topology, self.env, self.sink, self.run, self.domain = topology, env, sink, run, digest_domain
        self.subscribers = subscribers
        order = FAULTS[:]
        rng.shuffle(order)
        slot = 0.85 * duration / len(order)
        self.plan = []
        for i, fault in enumerate(order):
            victim = {"web": rng.choice(["web1", "web2"]), "worker": rng.choice(["worker1", "worker2"]),
                      "os": rng.choice(["os1", "os2"]), "redis": "redis", "postgres": "postgres"}[fault]  # fmt: skip
            at = 0.08 * duration + i * slot + rng.uniform(0, 0.3) * slot
            self.plan.append({"fault": fault, "victim": victim, "at": at, "down_for": rng.uniform(4, 10)})
        self.events: list[tuple[float, str]] = []
        self.windows: dict[str, tuple[float, float]] = {}  # fault -> (down at, repaired at) wall clock
        self.results: dict[str, object] = {}
        self.done = threading.Event()

    def event(self, text: str) -> None:
        self.events.append((time.time(), text))
        say(text)

    def describe(self) -> str:
        return "; ".join(f"{p['fault']}:{p['victim']} at {p['at']:.0f}s for {p['down_for']:.0f}s" for p in self.plan)

    def run_schedule(self, started: float) -> None:
        try:
            for step in self.plan:
                delay = started + step["at"] - time.time()
                if delay > 0:
                    time.sleep(delay)
                else:
                    self.event(f"{step['fault']} starts {-delay:.0f} s late (the previous repair took longer)")
                getattr(self, f"fault_{step['fault']}")(step["victim"], step["down_for"])
        except Exception as exc:  # reported, and the run fails
            self.results["chaos_error"] = f"{type(exc).__name__}: {exc}"
            self.event(f"CHAOS ERROR {exc}")
        finally:
            self.done.set()

    # --- the faults ---------------------------------------------------------------------------
    def fault_web(self, victim: str, down_for: float) -> None:
        self.event(f"SIGKILL {victim}")
        t0 = time.time()
        self.topology("kill", victim)
        out = short.wait_state(victim, "DOWN", 30)
        self.results["web_out_after"] = out
        self.event(f"balancer marks {victim} DOWN after {out:.1f} s" if out is not None else f"{victim} NOT taken out")
        time.sleep(max(0.0, t0 + down_for - time.time()))
        self.event(f"starting {victim}")
        started = time.monotonic()
        self.topology("up", victim)
        back = short.wait_state(victim, "UP", 90)
        self.results["web_back_after"] = None if back is None else round(time.monotonic() - started, 1)
        self.windows["web"] = (t0, time.time())
        self.event(f"balancer has {victim} UP again" if back is not None else f"{victim} NOT back within 90 s")

    def fault_worker(self, victim: str, down_for: float) -> None:
        from celery import Celery

        client = Celery("soak", broker=self.env["REDIS_URL"], set_as_current=False)
        try:
            # Batches of a tenth of the subscribers (DIGEST_BATCH_SIZE, 200, at 2,000): both workers busy.
            client.send_task("subscriptions.send_due_digests", args=("daily",),
                             kwargs={"batch_size": max(20, self.subscribers // 10)})  # fmt: skip
        finally:
            client.close()
        self.event("digest tick queued (subscriptions.send_due_digests, daily)")
        received = lambda: sum(1 for m in list(self.sink.handler.messages) if str(m["To"]).endswith(self.domain))  # noqa: E731
        wait(lambda: received() >= 20, 120, 0.2)
        self.results["digests_before_worker_kill"] = received()
        t0 = time.time()
        self.event(f"SIGKILL {victim} mid-batch ({received()} digests received so far)")
        self.topology("kill", victim)
        time.sleep(down_for)
        self.event(f"starting {victim}")
        self.topology("up", victim)
        self.windows["worker"] = (t0, time.time())

    def fault_os(self, victim: str, down_for: float) -> None:
        t0 = time.time()
        self.event(f"SIGKILL {victim}")
        self.topology("kill", victim)
        time.sleep(max(down_for, 8))  # long enough for searches to meet it
        self.event(f"starting {victim}")
        starting = time.monotonic()
        self.topology("up", victim)
        back = wait(lambda: cluster_nodes() == 2, 180)
        back = None if back is None else round(time.monotonic() - starting, 1)
        self.windows["os"] = (t0, time.time())
        self.results["os_back_after"] = back
        self.event(
            f"engine cluster has 2 nodes again {back:.0f} s after the restart began"
            if back is not None
            else "os NOT back"
        )

    def fault_redis(self, victim: str, down_for: float) -> None:
        t0 = time.time()
        self.event("SIGKILL redis")
        self.topology("kill", "redis")
        time.sleep(down_for)
        self.event("starting redis")
        self.topology("up", "redis")
        self.windows["redis"] = (t0, time.time())

    def fault_postgres(self, victim: str, down_for: float) -> None:
        t0 = time.time()
        self.event("PostgreSQL crash (immediate stop)")
        self.topology("kill", "postgres")
        time.sleep(down_for)
        self.event("starting PostgreSQL")
        starting = time.monotonic()
        self.topology("up", "postgres")
        back = wait(readyz_ok, 120)
        back = None if back is None else round(time.monotonic() - starting, 1)
        # The balancer needs two good checks per node: 503s are allowed until both are UP again.
        wait(lambda: all(s.startswith("UP") for s in short.lb_states().values()), 60, 0.2)
        self.windows["postgres"] = (t0, time.time())
        self.results["postgres_ready_after"] = back
        self.event(f"site ready again {back:.1f} s after PostgreSQL's start" if back is not None else "site NOT ready")


def run_locust(users: int, env: dict[str, str], files: dict[str, Path], marker: str) -> subprocess.Popen:
    locust_env = {**env, "LOAD_TARGETS": str(files["targets"]), "LOAD_LEDGER": str(VAR / "load-ledger.json"),
                  "LOAD_MARKER": marker, "SOAK_SAMPLES": str(files["samples"]), "SOAK_LEDGER": str(files["ledger"]),
                  "SOAK_MAILDIR": str(files["maildir"]), "PYTHONPATH": str(ROOT)}  # fmt: skip
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "locust"), "-f", "bench/chaos/locustfile.py", "--headless",
         "--host", LB, "-u", str(users), "-r", str(max(1.0, users / 10)), "-t", "24h", "--only-summary",
         "--loglevel", "WARNING", "--stop-timeout", "10"],
        cwd=ROOT, env=locust_env, stdout=open(VAR / "locust.out", "w"), stderr=open(VAR / "locust.log", "w"),
        start_new_session=True,
    )  # fmt: skip


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


def svg(rows: list[dict], windows: dict[str, tuple[float, float]], start: float, path: Path, title: str) -> None:
    """Requests per second (bars: grey answered, red errors) and p95 (line) with the fault windows shaded."""
    width, height, pad = 900, 260, 40
    n = max(1, len(rows))
    top = max([r["requests"] for r in rows] + [1])
    top_p95 = max([r["p95_ms"] for r in rows] + [1])
    x = lambda s: pad + (width - 2 * pad) * s / n  # noqa: E731
    y = lambda v, m: height - pad - (height - 2 * pad) * v / m  # noqa: E731
    colours = {"web": "#fde68a", "worker": "#bfdbfe", "os": "#bbf7d0", "redis": "#fecaca", "postgres": "#e9d5ff"}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="11"><rect width="100%" height="100%" fill="white"/>'
             f'<text x="{pad}" y="16" font-size="13">{title}</text>']  # fmt: skip
    for i, (fault, (a, b)) in enumerate(sorted(windows.items(), key=lambda kv: kv[1][0])):
        x0, x1 = x(max(0, a - start)), x(max(0, b - start))
        parts.append(f'<rect x="{x0:.1f}" y="{pad}" width="{max(1, x1 - x0):.1f}" height="{height - 2 * pad}" '
                     f'fill="{colours.get(fault, "#eee")}"/><text x="{x0 + 2:.1f}" y="{pad + 12 + 12 * (i % 2)}">{fault}</text>')  # fmt: skip
    bar = (width - 2 * pad) / n
    line = []
    for r in rows:
        s = r["second"]
        parts.append(f'<rect x="{x(s):.1f}" y="{y(r["requests"], top):.1f}" width="{max(0.5, bar - 0.5):.1f}" '
                     f'height="{height - pad - y(r["requests"], top):.1f}" fill="#9ca3af"/>')  # fmt: skip
        if r["unavailable"]:
            parts.append(f'<rect x="{x(s):.1f}" y="{y(r["unavailable"], top):.1f}" width="{max(0.5, bar - 0.5):.1f}" '
                         f'height="{height - pad - y(r["unavailable"], top):.1f}" fill="#f59e0b"/>')  # fmt: skip
        if r["errors"]:
            parts.append(f'<rect x="{x(s):.1f}" y="{y(r["errors"], top):.1f}" width="{max(0.5, bar - 0.5):.1f}" '
                         f'height="{height - pad - y(r["errors"], top):.1f}" fill="#dc2626"/>')  # fmt: skip
        line.append(f"{x(s) + bar / 2:.1f},{y(r['p95_ms'], top_p95):.1f}")
    parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#1d4ed8" stroke-width="1.2"/>')
    parts.append(f'<text x="{pad}" y="{height - 12}">seconds 0–{n}; bars: requests/s (max {top}), orange: 503 + '
                 f'Retry-After, red: other 5xx or no answer; blue line: p95 (max {top_p95:.0f} ms); shaded: faults</text></svg>')  # fmt: skip
    path.write_text("".join(parts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos --soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--soak", action="store_true")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--accounts", type=int, default=40)
    parser.add_argument("--smtp-port", type=int, default=2526)
    parser.add_argument("--settle", type=float, default=300, help="seconds allowed for the queues to drain after")
    parser.add_argument("--no-start", action="store_true", help="the soak topology is already up (same SMTP port)")
    parser.add_argument("--stop", action="store_true", help="stop the topology afterwards")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    rng = random.Random(seed)
    say(f"seed {seed} (replay: python -m bench.chaos --soak --seed {seed} --users {args.users} "
        f"--duration {args.duration:.0f} --subscribers {args.subscribers})")  # fmt: skip
    VAR.mkdir(parents=True, exist_ok=True)
    run = f"{seed}t{int(time.time()) % 100000}"
    marker = f"soak{run}"
    files = {"targets": VAR / f"targets-{run}.json", "samples": VAR / f"samples-{run}.jsonl",
             "ledger": VAR / f"ledger-{run}.jsonl", "maildir": VAR / "mail"}  # fmt: skip
    sink = Sink(args.smtp_port, files["maildir"])
    sink.controller.start()
    topology = Topology(f"smtp://127.0.0.1:{args.smtp_port}")
    locust = None
    try:
        if not args.no_start:
            say("starting the topology (scripts/topology.sh start, PostgreSQL cluster 'soak' on 5434)")
            subprocess.run(["bash", str(TOPOLOGY), "start"], cwd=ROOT, env=topology.env, check=True)
        states = short.lb_states()
        if not states or any(not s.startswith("UP") for s in states.values()):
            say(f"the balancer does not have both nodes up: {states}")
            return 1
        env = topology.site_env()
        prepared = django_side(env, "prepare", run, str(args.accounts), str(args.subscribers), str(files["targets"]))
        say(f"prepared: {prepared}")
        baseline = django_side(env, "index")
        say(f"index before the load: database {baseline.get('database')}, engine {baseline.get('indexed')}, "
            f"missing {baseline.get('missing')}, orphans {baseline.get('orphans')}, stale {baseline.get('stale')}")  # fmt: skip
        chaos = Chaos(rng, args.duration, topology, env, sink, run, prepared["digest_domain"], args.subscribers)
        say(f"chaos schedule: {chaos.describe()}")
        offsets = log_offsets()
        started = time.time()
        chaos.event(f"load: {args.users} users (bench.load's mix + subscribers), {args.duration:.0f} s")
        locust = run_locust(args.users, env, files, marker)
        fault = threading.Thread(target=chaos.run_schedule, args=(started,), daemon=True)
        fault.start()
        time.sleep(args.duration)
        if not chaos.done.is_set():
            chaos.event("duration reached; the load goes on until the last fault is repaired")
            chaos.done.wait()
            time.sleep(5)
        locust.send_signal(signal.SIGTERM)
        try:
            locust.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(locust.pid, signal.SIGKILL)
        chaos.event("load stopped")
        ended = time.time()

        # --- settle: the queue drains, deferred work is re-queued, claims left by the dead worker re-tried
        redis_client = redis.Redis.from_url(env["REDIS_URL"])

        def quiet() -> bool:
            return redis_client.llen("celery") == 0 and django_side(env, "deferred")["deferred_tasks"] == 0

        drained = wait(quiet, args.settle, 2)
        chaos.event(f"queue drained, no deferred task, after {drained:.0f} s" if drained is not None
                    else f"queue NOT drained within {args.settle:.0f} s")  # fmt: skip
        last, stable_since = None, time.monotonic()
        deadline = time.monotonic() + args.settle
        while time.monotonic() < deadline:  # claims stop changing: nobody is working on them
            states = django_side(env, "digests", run)
            if states != last:
                last, stable_since = states, time.monotonic()
            elif time.monotonic() - stable_since > 20:
                break
            time.sleep(3)
        from celery import Celery

        client = Celery("soak", broker=env["REDIS_URL"], backend=env["REDIS_URL"], set_as_current=False)
        try:
            summary = client.send_task(
                "subscriptions.send_due_digests", args=("daily",), kwargs={"stale_after_seconds": 15}
            ).get(timeout=120)
        finally:
            client.close()
        chaos.event(f"catch-up tick (beat's quarter-hourly one, stale after 15 s): {summary}")
        wait(lambda: set(django_side(env, "digests", run)) <= {"sent", "failed", "skipped"}, args.settle, 3)
        time.sleep(5)  # a duplicate would arrive now
        counts = django_side(env, "count", run, str(files["ledger"]))
        return report(
            args, seed, run, started, ended, chaos, counts, sink, files, prepared, redis_client, baseline, offsets
        )
    finally:
        if locust is not None and locust.poll() is None:
            os.killpg(locust.pid, signal.SIGKILL)
        if args.stop:
            subprocess.run(["bash", str(TOPOLOGY), "stop"], cwd=ROOT, env=topology.env, check=False)
        sink.controller.stop()


def window_of(t: float, windows: dict[str, tuple[float, float]]) -> str:
    return ", ".join(fault for fault, (a, b) in windows.items() if a - 1 <= t <= b + 5) or "no fault"


def log_offsets() -> dict[Path, int]:
    return {log: log.stat().st_size for log in (VAR / "topology" / "log").glob("worker*.log")}


def failed_tasks(offsets: dict[Path, int]) -> Counter:
    """Tasks the workers gave up on ("raised unexpected") since the load began, by task name."""
    found = Counter()
    for log in (VAR / "topology" / "log").glob("worker*.log"):
        with log.open("rb") as f:
            f.seek(offsets.get(log, 0))
            text = f.read().decode(errors="replace")
        for match in re.finditer(r"ERROR/[^\]]+\] Task (\S+?)\[[^\]]*\] raised unexpected", text):
            found[match.group(1)] += 1
    return found


def report(args, seed, run, started, ended, chaos: Chaos, counts: dict, sink: Sink, files, prepared, redis_client,
           baseline: dict, offsets: dict) -> int:  # fmt: skip
    samples = [json.loads(line) for line in files["samples"].read_text().splitlines() if line.strip()]
    windows = chaos.windows
    pg = windows.get("postgres", (0, 0))
    web = windows.get("web", (0, 0))
    web_kill = web[0]
    os_window = windows.get("os", (0, 0))
    allowed_503 = Counter()
    bad, backends_os, backends_all, dropped = [], Counter(), Counter(), []
    for t, name, status, ms, retry, backend in samples:
        sent = t - ms / 1000
        if backend:
            backends_all[backend] += 1
            if os_window[0] <= t <= os_window[1]:
                backends_os[backend] += 1
        if status == 503 and retry and pg[0] <= t <= pg[1] + 5:
            allowed_503["postgres down"] += 1
        elif status == 503 and retry and web_kill and web_kill - 1 <= t <= web_kill + 10:
            allowed_503["web node crash (HAProxy)"] += 1
        elif status == 0 and web_kill and sent <= web_kill + 0.5 and t - web_kill < 5:
            dropped.append((round(t - started, 1), name))
        elif status == 0 and pg[0] <= t <= pg[1] + 5:
            bad.append((round(t - started, 1), name, "no answer while PostgreSQL was down"))
        elif status == 0 or status >= 500:
            bad.append((round(t - started, 1), name, status))

    # --- timeline
    per_second: dict[int, list] = defaultdict(list)
    for t, _name, status, ms, retry, _b in samples:
        per_second[int(t - started)].append((status, ms, retry))
    events = defaultdict(list)
    for t, text in chaos.events:
        events[int(t - started)].append(text)
    rows = []
    print(f"\n{'s':>4} {'req':>5} {'5xx':>4} {'503RA':>5} {'p95 ms':>7}  fault")
    for second in range(0, max([*per_second, *events, 0]) + 1):
        got = per_second.get(second, [])
        row = {"second": second, "requests": len(got),
               "errors": sum(1 for s, _, r in got if s == 0 or (s >= 500 and not (s == 503 and r))),
               "unavailable": sum(1 for s, _, r in got if s == 503 and r), "p95_ms": p95([ms for _, ms, _ in got]),
               "events": events.get(second, [])}  # fmt: skip
        rows.append(row)
        print(f"{second:>4} {row['requests']:>5} {row['errors']:>4} {row['unavailable']:>5} {row['p95_ms']:>7.0f}  "
              f"{'; '.join(row['events'])}")  # fmt: skip
    (VAR / "timeline.json").write_text(
        json.dumps({"seed": seed, "started": started, "ended": ended, "rows": rows, "windows": windows}, default=str)
    )
    svg(rows[: int(ended - started) + 2], windows, started, VAR / "timeline.svg",
        f"Soak, seed {seed}: {args.users} users, {args.duration:.0f} s, five faults")  # fmt: skip

    # --- digests: ledger vs sink, per address
    domain = prepared["digest_domain"]
    per_address = Counter()
    message_ids: dict[str, set[str]] = defaultdict(set)
    for m in list(sink.handler.messages):
        to = str(m["To"])
        if to.endswith("@" + domain) and m["List-Unsubscribe"]:
            per_address[to] += 1
            message_ids[to].add(str(m["Message-ID"]))
    digest_states = counts["digest_states"]
    never = args.subscribers - len(per_address)
    # Two different digests to one address is the failure. The same digest received again with its
    # Message-ID is what a worker killed between the SMTP server's acceptance and the ledger's commit
    # leaves (no sender can know the server took it): Gmail and many mail clients show it once.
    twice = sum(1 for ids in message_ids.values() if len(ids) > 1)
    resent_same_id = sum(1 for address, n in per_address.items() if n > 1 and len(message_ids[address]) == 1)
    confirmations_missing = [e for e in set(json.loads(line)[2] for line in files["ledger"].read_text().splitlines()
                                            if line.strip() and json.loads(line)[1] == "subscription")
                             if not sink.handler.to(e)]  # fmt: skip
    queue_left = redis_client.llen("celery")
    unacked = redis_client.hlen("unacked")
    index = counts["index"]
    for key in ("missing", "orphans", "stale"):  # what was already so before the load is shown, not counted
        index[f"{key}_before"] = [k for k in index.get(key, []) if k in baseline.get(key, [])]
        index[key] = [k for k in index.get(key, []) if k not in baseline.get(key, [])]
    duplicates = []
    for address, n in per_address.items():
        if n > 1:
            copies = sorted(f.stat().st_mtime for f in (files["maildir"] / address.lower()).glob("*.eml"))
            duplicates.append((address, round(copies[0] - started, 1), window_of(copies[0], windows)))
    tasks_failed = failed_tasks(offsets)
    database_answers = sorted({round(t - started) for t, _n, _s, _ms, _r, b in samples if b == "database"})
    statuses = Counter(s for _, _, s, _, _, _ in samples)

    print(f"\n== soak, seed {seed}, run {run}: {args.users} users, {args.duration:.0f} s "
          f"(load ran {ended - started:.0f} s), schedule: {chaos.describe()}")  # fmt: skip
    print(f"requests {len(samples)} by status {dict(sorted(statuses.items()))}")
    print(f"503 with Retry-After allowed: {dict(allowed_503)}; connections closed unanswered at the web kill "
          f"(in flight): {len(dropped)}; other 5xx / no answer: {len(bad)} {bad[:8]}")  # fmt: skip
    print(f"balancer: out after {chaos.results.get('web_out_after')} s, back {chaos.results.get('web_back_after')} s "
          f"after restart; PostgreSQL: site ready {chaos.results.get('postgres_ready_after')} s after its start; "
          f"engine cluster whole again {chaos.results.get('os_back_after')} s after os restart")  # fmt: skip
    print(f"search answered by, while an engine node was down: {dict(backends_os)}; whole run: {dict(backends_all)}"
          f"; database answers at seconds {database_answers[:10]}")  # fmt: skip
    for kind in ("contributions", "replies", "supports"):
        c = counts[kind]
        print(f"{kind}: acknowledged {c['acknowledged']}, stored {c['stored']}, acknowledged but missing "
              f"{len(c['missing'])}, stored twice {len(c['twice'])}, stored never acknowledged {c['not_acknowledged']}")  # fmt: skip
    s = counts["subscriptions"]
    print(f"subscriptions: acknowledged {s['acknowledged']}, stored {s['stored']}, missing {len(s['missing'])}; "
          f"confirmations acknowledged {s['confirmed_acknowledged']}, not confirmed in the database "
          f"{len(s['confirmed_but_not_stored_confirmed'])}; confirmation e-mails missing {len(confirmations_missing)}")  # fmt: skip
    print(f"digests due {args.subscribers}: ledger {digest_states}; sink: {len(per_address)} addresses received one "
          f"or more, never {never}, two different digests {twice}, the same digest again (same Message-ID) "
          f"{resent_same_id} (digests received before the worker kill: "
          f"{chaos.results.get('digests_before_worker_kill')}); duplicates (address, first copy at s, during): "
          f"{duplicates[:5]}")  # fmt: skip
    print(f"index: database {index.get('database')} objects, engine {index.get('indexed')}, missing "
          f"{len(index.get('missing', []))} {index.get('missing', [])[:5]}, orphans {len(index.get('orphans', []))} "
          f"{index.get('orphans', [])[:5]}, sampled documents {index.get('sampled')} of which stale "
          f"{len(index.get('stale', []))} {index.get('stale', [])[:5]}; already so before the load: missing "
          f"{index['missing_before'][:5]}, orphans {index['orphans_before'][:5]}, stale {index['stale_before'][:5]}")  # fmt: skip
    print(f"tasks: deferred left {counts['deferred_tasks']}, broker queue {queue_left}, held unacknowledged by a "
          f"dead worker {unacked} (redelivered after the visibility timeout; their work was re-claimed above); "
          f"tasks that failed in a worker (not retried): {dict(tasks_failed)}")  # fmt: skip
    checks = {
        "no 5xx but 503 + Retry-After while PostgreSQL is down": not bad,
        "balancer took the dead node out and back": chaos.results.get("web_out_after") is not None
        and chaos.results.get("web_back_after") is not None,
        "search from the engine while a node was down": backends_os.get("engine", 0) > 0
        and not backends_os.get("database"),
        "acknowledged writes stored exactly once": all(
            not counts[k]["missing"] and not counts[k]["twice"] for k in ("contributions", "replies", "supports")
        )
        and counts["contributions"]["acknowledged"] > 0,
        "subscriptions and confirmations stored": not s["missing"] and not s["confirmed_but_not_stored_confirmed"],
        "every digest due sent exactly once": digest_states == {"sent": args.subscribers} and never == 0 and twice == 0,
        "index matches the database": index.get("engine")
        and not index.get("missing")
        and not index.get("orphans")
        and not index.get("stale"),
        "no task lost": counts["deferred_tasks"] == 0 and queue_left == 0 and not confirmations_missing,
        "the schedule ran": "chaos_error" not in chaos.results and len(windows) == len(FAULTS),
    }
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    failed = not all(checks.values())
    print(f"timeline: {VAR / 'timeline.svg'}, {VAR / 'timeline.json'}")
    print("RESULT:", "FAILED" if failed else "passed", f"(seed {seed})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
