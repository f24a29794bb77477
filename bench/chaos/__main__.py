"""Short chaos run on the reference topology (scripts/topology.sh): a web node is SIGKILLed under load.

    python -m bench.chaos [--seed N] [--duration 45] [--readers 4] [--contributors 6] [--no-start]
                          [--victim web1|web2|random] [--stop]

Starts the topology (unless --no-start), opens the demo consultation and creates fresh members,
then for --duration seconds readers fetch pages and the search API through the load balancer
while members post contributions, each member from an address of its own on the loopback
(127.0.0.2, .3...: the per-address rate limit is the production one). On a schedule drawn from
the seed (printed: `--seed` replays it), one web node is killed with SIGKILL (its whole process
group, a crashed machine), then started again. Checks:

- no 5xx but 503 with Retry-After (HAProxy's own answer while it has no node, or for a request
  cut by the crash on a fresh connection); no request left unanswered, except those in flight on
  the killed node (HAProxy closes their kept-alive client connection unanswered; they are counted
  and shown, with the contributions stored although never acknowledged);
- the balancer takes the dead node out and puts it back (seconds measured on its stats);
- every contribution acknowledged to a member (302 to its permalink) is stored exactly once,
  and none is stored twice;
- search answers from the engine (X-Search-Backend: engine) throughout.

Prints a timeline per second (requests, errors, p95) with the faults; exits 1 on a failed check.
Not in the test suite: the topology (two OpenSearch nodes, two web nodes, two workers) takes
minutes to start on a 2-core CI machine already running the fault suite's stack.

The bounded soak (issue #16: bench.load's locust mix at 100 users for 5 minutes while a seeded
schedule kills and restarts a web node, a worker mid-digest, an OpenSearch node, Redis and
PostgreSQL, then counts everything) is `python -m bench.chaos --soak`: see bench/chaos/soak.py.
The full run:

    sudo .venv/bin/python -m bench.chaos --soak --users 100 --duration 300 --subscribers 2000 --stop
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

from bench.chaos.addresses import SourceAddress

ROOT = Path(__file__).resolve().parents[2]
TOPOLOGY = ROOT / "scripts" / "topology.sh"
LB = "http://127.0.0.1:8131"
STATS = "http://127.0.0.1:8134/stats;csv"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PERMALINK = re.compile(r"/contributions/(\d+)/")
QUERIES = ["écoles", "schools", "compost", "santé", "cantine", "smart city", "budget participatif", "energy"]
PAGES = ["/fr/", "/en/", "/fr/experiences/", "/en/experiences/"]


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def topology(*args: str) -> str:
    return subprocess.run(["bash", str(TOPOLOGY), *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def site_env() -> dict[str, str]:
    env = {}
    for line in topology("env").splitlines():
        if line.startswith("export ") and "=" in line:
            name, _, value = line[len("export ") :].partition("=")
            env[name] = value.strip("'")
    return env


def django_side(env: dict[str, str], *args: str) -> dict:
    import os

    out = subprocess.run(
        [sys.executable, "-m", "bench.chaos.prepare", *args],
        cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.start = time.monotonic()
        self.samples: list[tuple[float, str, int, float, bool]] = []  # t, kind, status, seconds, retry-after
        self.events: list[tuple[float, str]] = []
        self.acked: dict[str, int] = {}  # title -> contribution id
        self.search_backends: Counter = Counter()

    def now(self) -> float:
        return time.monotonic() - self.start

    def record(self, kind: str, response: requests.Response | None, seconds: float) -> None:
        status = response.status_code if response is not None else 0  # 0: no answer at all
        retry_after = response is not None and "Retry-After" in response.headers
        with self.lock:
            self.samples.append((self.now(), kind, status, seconds, retry_after))

    def event(self, text: str) -> None:
        with self.lock:
            self.events.append((self.now(), text))
        say(text)


def timed(recorder: Recorder, kind: str, call) -> requests.Response | None:
    started = time.monotonic()
    try:
        response = call()
    except requests.RequestException as exc:
        response = None
        recorder.event(f"no answer to a {kind} request: {type(exc).__name__}: {str(exc)[:160]}")
    recorder.record(kind, response, time.monotonic() - started)
    return response


def reader(recorder: Recorder, stop: threading.Event, rng: random.Random) -> None:
    session = requests.Session()
    while not stop.is_set():
        if rng.random() < 0.5:
            timed(recorder, "page", lambda: session.get(LB + rng.choice(PAGES), timeout=30))
        else:
            response = timed(
                recorder,
                "search",
                lambda: session.get(f"{LB}/api/search/", params={"q": rng.choice(QUERIES)}, timeout=30),
            )
            if response is not None and response.status_code == 200:
                with recorder.lock:
                    recorder.search_backends[response.headers.get("X-Search-Backend", "?")] += 1
        stop.wait(rng.uniform(0.1, 0.4))


def contributor(
    recorder: Recorder, stop: threading.Event, rng: random.Random, account: dict, address: str, page: str, marker: str,
    budget: int,
) -> None:  # fmt: skip
    session = requests.Session()
    session.mount("http://", SourceAddress(address))
    lang = page.strip("/").split("/")[0]
    for _ in range(20):  # logging in may meet the crash too: try again
        form = timed(recorder, "login", lambda: session.get(f"{LB}/{lang}/accounts/login/", timeout=30))
        token = CSRF.search(form.text) if form is not None and form.status_code == 200 else None
        if token:
            csrf = token.group(1)
            done = timed(
                recorder, "login", lambda csrf=csrf: session.post(
                    f"{LB}/{lang}/accounts/login/", timeout=30, allow_redirects=False,
                    data={"login": account["email"], "password": account["password"], "csrfmiddlewaretoken": csrf},
                ),
            )  # fmt: skip
            if done is not None and done.status_code == 302:
                break
        stop.wait(1)
    n = 0
    while not stop.is_set() and n < budget:
        form = timed(recorder, "consultation", lambda: session.get(LB + page, timeout=30))
        token = CSRF.search(form.text) if form is not None and form.status_code == 200 else None
        if token:
            title = f"{marker} idea {address} {n}"
            data = {"title": title, "body": f"{marker}: twinning of schools, number {n}.", "tags": "chaos",
                    "section": "", "website": "", "csrfmiddlewaretoken": token.group(1)}  # fmt: skip
            response = timed(
                recorder,
                "contribute",
                lambda data=data: session.post(LB + page, data=data, timeout=30, allow_redirects=False),
            )
            n += 1  # acknowledged or not, the next one has another title: an unacknowledged one is not retried
            if response is not None and response.status_code == 302:
                found = PERMALINK.search(response.headers.get("Location", ""))
                if found:
                    with recorder.lock:
                        recorder.acked[title] = int(found.group(1))
        stop.wait(rng.uniform(0.5, 2.0))


def lb_states() -> dict[str, str]:
    try:
        text = requests.get(STATS, timeout=3).text
    except requests.RequestException:
        return {}
    return {
        row[1]: row[17]
        for row in (line.split(",") for line in text.splitlines())
        if row[0] == "web" and row[1].startswith("web")
    }


def wait_state(node: str, wanted: str, timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if lb_states().get(node, "").startswith(wanted):
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def chaos(recorder: Recorder, rng: random.Random, victim: str, duration: float, results: dict) -> None:
    kill_at = rng.uniform(0.2, 0.35) * duration
    down_for = rng.uniform(0.2, 0.3) * duration
    time.sleep(kill_at)
    results["killed_at"] = recorder.now()
    recorder.event(f"SIGKILL {victim}")
    topology("kill", victim)
    results["out_after"] = wait_state(victim, "DOWN", 30)
    recorder.event(f"balancer marks {victim} DOWN after {results['out_after']:.1f} s" if results["out_after"] is not None
                   else f"balancer did NOT mark {victim} down within 30 s")  # fmt: skip
    time.sleep(max(0.0, kill_at + down_for - recorder.now()))
    recorder.event(f"starting {victim} again")
    started = time.monotonic()
    topology("up", victim)
    back = wait_state(victim, "UP", 60)
    results["back_after"] = None if back is None else time.monotonic() - started
    recorder.event(f"balancer has {victim} UP again, {results['back_after']:.1f} s after the restart began"
                   if back is not None else f"{victim} NOT back in the balancer within 60 s")  # fmt: skip


def p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def timeline(recorder: Recorder) -> None:
    per_second: dict[int, list] = defaultdict(list)
    for t, _kind, status, seconds, _retry in recorder.samples:
        per_second[int(t)].append((status, seconds))
    events = defaultdict(list)
    for t, text in recorder.events:
        events[int(t)].append(text)
    print(f"{'s':>4} {'req':>5} {'err':>4} {'p95 ms':>7}  fault")
    for second in range(0, max(per_second or {0: 0}) + 1):
        rows = per_second.get(second, [])
        errors = sum(1 for status, _ in rows if status == 0 or status >= 500)
        print(
            f"{second:>4} {len(rows):>5} {errors:>4} {p95([s for _, s in rows]) * 1000:>7.0f}  {'; '.join(events[second])}"
        )


def main() -> int:
    if "--soak" in sys.argv[1:]:  # the bounded soak: every fault, the locust mix (bench/chaos/soak.py)
        from .soak import main as soak

        return soak(sys.argv[1:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--duration", type=float, default=45)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--contributors", type=int, default=6)
    parser.add_argument("--victim", default="random", choices=["web1", "web2", "random"])
    parser.add_argument("--no-start", action="store_true", help="the topology is already up")
    parser.add_argument("--stop", action="store_true", help="stop the topology afterwards")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    rng = random.Random(seed)
    victim = args.victim if args.victim != "random" else rng.choice(["web1", "web2"])
    say(f"seed {seed} (replay: python -m bench.chaos --seed {seed}); victim {victim}")
    if not args.no_start:
        say("starting the topology (scripts/topology.sh start)")
        subprocess.run(["bash", str(TOPOLOGY), "start"], cwd=ROOT, check=True)
    states = lb_states()
    if not states or any(not s.startswith("UP") for s in states.values()):
        say(f"the balancer does not have both nodes up: {states}")
        return 1
    env = site_env()
    run = f"{seed}{int(time.time()) % 100000}"
    marker = f"chaos{run}"
    prepared = django_side(env, run, str(args.contributors))
    recorder = Recorder()
    stop = threading.Event()
    results: dict = {}
    threads = [
        threading.Thread(target=reader, args=(recorder, stop, random.Random(rng.random()))) for _ in range(args.readers)
    ]
    for i, account in enumerate(prepared["accounts"]):
        page = prepared["consultation"]["fr" if i % 2 == 0 else "en"]
        # 5 contributions per member and 10 minutes: the production limit; 4 leaves room.
        threads.append(threading.Thread(
            target=contributor, args=(recorder, stop, random.Random(rng.random()), account, f"127.0.0.{2 + i}", page, marker, 4)
        ))  # fmt: skip
    fault = threading.Thread(target=chaos, args=(recorder, rng, victim, args.duration, results))
    recorder.event(f"load: {args.readers} readers, {args.contributors} members posting, {args.duration:.0f} s")
    for thread in [*threads, fault]:
        thread.start()
    time.sleep(args.duration)
    fault.join()
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    recorder.event("load stopped")

    timeline(recorder)
    statuses = Counter(status for _, _, status, _, _ in recorder.samples)
    killed_at = results.get("killed_at", -1.0)
    # HAProxy's HTTP/1.1 behaviour when a node dies before answering a request that came on a
    # kept-alive client connection: it closes that connection without an answer, so that the
    # client may retry (haproxy/haproxy#3414). Allowed only for the requests that were in flight
    # at the kill; any other request left unanswered fails the run.
    dropped = [(round(t, 1), kind) for t, kind, status, seconds, _ in recorder.samples
               if status == 0 and t - seconds <= killed_at + 0.5 and t - killed_at < 5]  # fmt: skip
    bad = [(round(t, 1), kind, status) for t, kind, status, seconds, retry in recorder.samples
           if (status == 0 and (round(t, 1), kind) not in dropped)
           or (status >= 500 and not (status == 503 and retry))]  # fmt: skip
    unavailable = sum(1 for _, _, status, _, retry in recorder.samples if status == 503 and retry)
    counts = django_side(env, "--count", marker)
    acked = recorder.acked
    missing = [title for title in acked if counts.get(title, 0) == 0]
    twice = {title: n for title, n in counts.items() if n > 1}
    print(
        f"\nseed {seed}, victim {victim}; requests {len(recorder.samples)} by status {dict(sorted(statuses.items()))}"
    )
    print(f"503 with Retry-After: {unavailable}; connections closed unanswered at the kill (in flight): "
          f"{len(dropped)} {dropped[:5]}; other 5xx or no answer: {len(bad)} {bad[:5]}")  # fmt: skip
    print(
        f"balancer: {victim} out after {results.get('out_after')} s, back {results.get('back_after')} s after restart"
    )
    print(f"contributions acknowledged {len(acked)}, stored {sum(counts.values())} (rows with the run's marker), "
          f"acknowledged but missing {len(missing)}, stored twice {len(twice)}, stored but never acknowledged "
          f"{len([t for t in counts if t not in acked])} (in flight at the kill: the member saw no answer)")  # fmt: skip
    print(f"search answered by {dict(recorder.search_backends)}")
    failed = bool(bad or missing or twice or results.get("out_after") is None or results.get("back_after") is None
                  or recorder.search_backends.get("database") or not acked)  # fmt: skip
    print("RESULT:", "FAILED" if failed else "passed")
    if args.stop:
        subprocess.run(["bash", str(TOPOLOGY), "stop"], cwd=ROOT, check=False)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
