"""Import benchmark: `python bench/import/run.py [--sizes 500 2000] [--rounds 2]`.

Prints, per file size, the product and its floor per record and their ratio:

- first import: ``manage.py import_experiences FILE --publish`` of new records
  (the real command, reading the file as it streams);
- floor: Wagtail's ``add_child`` of a bare ``Page`` (title and slug only), in
  one transaction like the import, under a page of its own;
- re-import: the same file again, every record unchanged (rate in records/s;
  the goal is at least 500/s).

Each size runs in a fresh process on a fresh SQLite database (or the database
of DATABASE_URL), and its measurements are interleaved in rounds (import of a
new file, floor, re-import of that file; then again), so that a change in the
machine's load touches product and floor alike. Tasks are queued as in the
embedded default (Celery's filesystem broker, no worker in the timed process):
the figures include the search indexing done at the end of each import, and
the queuing of what a worker does after it (the reference index, comparable
projects), not that work itself. The peak
resident memory is the process's after its rounds: it should not grow with
the file size. Never fails on time: it prints figures.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _timed(function) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - start, time.process_time() - cpu


def measure(size: int, rounds: int, var: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from generate import write
    from wagtail.models import Page

    from cooperation_hub.demo import build_site_tree

    call_command("migrate", verbosity=0)
    build_site_tree()
    floor_parent = Page.get_first_root_node().add_child(instance=Page(title="Floor", slug="bench-floor"))
    per_round = max(1, size // rounds)
    totals = {"first": [0.0, 0.0], "floor": [0.0, 0.0], "again": [0.0, 0.0]}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def floor(round_number: int) -> None:
        parent = Page.objects.get(pk=floor_parent.pk)
        with transaction.atomic():
            for n in range(per_round):
                parent.add_child(instance=Page(title=f"Floor {round_number} {n}", slug=f"floor-{round_number}-{n}"))

    for round_number in range(rounds):
        path = write(var / f"round-{round_number}.jsonl", per_round, seed=round_number, prefix=f"r{round_number}")

        def run_import(path=path) -> None:
            call_command("import_experiences", str(path), "--publish", verbosity=0)

        def run_floor(round_number=round_number) -> None:
            floor(round_number)

        for name, function in (("first", run_import), ("floor", run_floor), ("again", run_import)):
            wall, cpu = _timed(function)
            totals[name][0] += wall
            totals[name][1] += cpu
    count = per_round * rounds
    return {
        "size": size,
        "records": count,
        **{f"{name}_ms": round(1000 * wall / count, 2) for name, (wall, _) in totals.items()},
        **{f"{name}_cpu_ms": round(1000 * cpu / count, 2) for name, (_, cpu) in totals.items()},
        "rss_before_mb": round(rss_before / 1024, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds per size (default 2)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.rounds, Path(os.environ["HUB_VAR_DIR"]))))
        return
    print(
        "Per record, wall-clock (CPU of the importing process in brackets); interleaved rounds: "
        f"{args.rounds}. Goals: first import <= 1.5x the floor, re-import >= 500 records/s."
    )
    print("| records | first import ms | floor (add_child) ms | ratio | re-import ms | re-import rec/s | peak RSS MB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="hub-bench-import-") as var:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "cooperation_hub.settings",
                "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40),
                "HUB_VAR_DIR": var,
                "CELERY_TASK_ALWAYS_EAGER": "false",  # queued for a worker, which is not run here
            }
            if "DATABASE_URL" not in os.environ:
                env["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(size), "--rounds", str(args.rounds)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:
                print(out.stderr[-3000:], file=sys.stderr)
                sys.exit(out.returncode)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            ratio = r["first_ms"] / r["floor_ms"] if r["floor_ms"] else float("nan")
            rate = 1000 / r["again_ms"] if r["again_ms"] else float("inf")
            print(
                f"| {r['records']:,} | {r['first_ms']} ({r['first_cpu_ms']}) | {r['floor_ms']} ({r['floor_cpu_ms']}) "
                f"| {ratio:.2f}x | {r['again_ms']} ({r['again_cpu_ms']}) | {rate:,.0f} | {r['peak_rss_mb']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
