"""Run every benchmark and print their figures: `python -m bench [--full] [--load]`.

The default sizes keep a run to a few minutes on a laptop; `--full` uses the
sizes the issues ask for (10,000 imports, 10,000 search documents, the public
pages at 10,000 reports, 10,000 subscribers) and adds the load benchmark (50
and 200 users on gunicorn, PostgreSQL, Redis and OpenSearch), which ``--load``
adds to a default run in a short form. Each benchmark prints its own table; this runner adds a summary.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BENCHMARKS = {
    "import": (["bench/import/run.py", "--sizes", "500", "2000"], ["bench/import/run.py", "--sizes", "1000", "10000"]),
    "search": (["-m", "bench.search", "--n", "2000"], ["-m", "bench.search", "--n", "10000"]),
    # Cross-language relevance (#17): recall@5 and nDCG@5, expansion off and on, per backend.
    "relevance": (["-m", "bench.relevance"], ["-m", "bench.relevance"]),
    # Every public page uncached next to a bare page of the same base template (issue #12).
    "pages": (["-m", "bench.pages", "--n", "2000", "--contributions", "500"], ["-m", "bench.pages", "--n", "10000"]),
    "digests": (
        ["-m", "bench.digests", "--subscribers", "2000", "--experiences", "150"],
        ["-m", "bench.digests", "--subscribers", "10000"],
    ),
    # Each recent migration on a network of that size, next to a no-op migrate and a table copy (#16).
    "migrate": (["-m", "bench.migrate", "--n", "2000"], ["-m", "bench.migrate", "--n", "10000"]),
    # The site served the production way under 50 and 200 users (needs PostgreSQL, Redis, OpenSearch).
    "load": (["-m", "bench.load", "--users", "50", "--duration", "30"], ["-m", "bench.load", "--users", "50,200"]),
}
# Not in a default run: it needs the services and takes a few minutes more.
OPT_IN = {"load"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="the sizes the issues ask for")
    parser.add_argument("--load", action="store_true", help="also the load benchmark (implied by --full)")
    parser.add_argument("names", nargs="*", choices=[[], *BENCHMARKS], help="benchmarks to run (default: all but load)")
    args = parser.parse_args()
    summary = []
    default = [name for name in BENCHMARKS if name not in OPT_IN or args.full or args.load]
    for name in args.names or default:
        command = [sys.executable, *BENCHMARKS[name][1 if args.full else 0]]
        print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
        start = time.perf_counter()
        code = subprocess.call(command, cwd=ROOT)
        summary.append((name, code, time.perf_counter() - start))
    print("\n| benchmark | exit | wall time (s) |\n| --- | --- | --- |")
    for name, code, seconds in summary:
        print(f"| {name} | {code} | {seconds:.1f} |")
    return max(code for _, code, _ in summary)


if __name__ == "__main__":
    sys.exit(main())
