"""Import benchmark: `python bench/import/run.py [--sizes 1000 10000]`.

Each size runs in a fresh process on a fresh SQLite database (or the database
of DATABASE_URL, whose test copy is created and dropped), so that the peak
memory figure belongs to that import alone. Prints records/s for the first
import and for a second, identical one (every record unchanged), and the
process's peak resident memory. Search indexing runs inline (as with Celery in
eager mode), so the figure includes it.
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


def measure(size: int) -> dict:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import django

    django.setup()
    from django.core.management import call_command
    from generate import lines

    from cooperation_hub.demo import build_site_tree
    from experiences.importer import import_lines

    call_command("migrate", verbosity=0)
    build_site_tree()
    data = lines(size)
    start, cpu = time.perf_counter(), time.process_time()
    first = import_lines(data, publish=True)
    first_seconds, first_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    second = import_lines(data, publish=True)
    second_seconds, second_cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "size": size,
        "created": first.created,
        "first_seconds": round(first_seconds, 1),
        "first_rate": round(size / first_seconds, 1),
        "first_cpu": round(first_cpu, 1),
        "second_unchanged": second.unchanged,
        "second_seconds": round(second_seconds, 1),
        "second_rate": round(size / second_seconds, 1),
        "second_cpu": round(second_cpu, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    print("Wall-clock time depends on the machine's load; CPU seconds of the importing process are given too.")
    print(f"{'records':>8} {'first import (wall, rec/s, CPU)':>40} {'second, unchanged (wall, rec/s, CPU)':>42} {'peak RSS':>9}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="hub-bench-") as var:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "cooperation_hub.settings",
                "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40),
                "HUB_VAR_DIR": var,
                "CELERY_TASK_ALWAYS_EAGER": "true",
            }
            if "DATABASE_URL" not in os.environ:
                env["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(size)], env=env, capture_output=True, text=True, check=False
            )
            if out.returncode:
                print(out.stderr[-3000:], file=sys.stderr)
                sys.exit(out.returncode)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{r['size']:>8} {r['first_seconds']:>12}s {r['first_rate']:>9} rec/s {r['first_cpu']:>8}s CPU "
                f"{r['second_seconds']:>12}s {r['second_rate']:>9} rec/s {r['second_cpu']:>8}s CPU "
                f"{r['peak_rss_mb']:>6} MB"
            )


if __name__ == "__main__":
    main()
