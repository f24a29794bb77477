"""IATI benchmark: `python bench/iati/run.py [--reports 1000]`.

In a fresh process on a fresh SQLite database (or DATABASE_URL): imports
``--reports`` generated bilingual reports (bench/import/generate.py, published),
then times ``manage.py export_iati`` of all of them, validates the whole file
against the official IATI 2.03 schema (it must be valid: the run fails
otherwise), and times ``manage.py import_iati`` of that file back (every
activity unchanged). Prints the figures and the peak resident memory; never
fails on time.
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


def measure(reports: int, var: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench" / "import"))
    import django

    django.setup()
    from django.core.management import call_command
    from generate import write
    from lxml import etree

    from cooperation_hub.demo import build_site_tree
    from iati.schema import schema_errors

    call_command("migrate", verbosity=0)
    build_site_tree()
    source = write(var / "reports.jsonl", reports * 2, seed=3, prefix="iati")
    call_command("import_experiences", str(source), "--publish", verbosity=0)
    out = var / "activities.xml"
    start = time.perf_counter()
    call_command("export_iati", str(out), verbosity=0)
    export_s = time.perf_counter() - start
    rss_export = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tree = etree.parse(str(out), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    activities = len(tree.getroot())
    errors = schema_errors(tree)
    del tree
    start = time.perf_counter()
    call_command("import_iati", str(out), "--publish", verbosity=0)
    import_s = time.perf_counter() - start
    return {
        "reports": reports, "activities": activities, "valid": not errors, "errors": errors[:5],
        "file_mb": round(out.stat().st_size / 1e6, 2),
        "export_s": round(export_s, 2), "export_ms_per_activity": round(1000 * export_s / max(activities, 1), 2),
        "rss_after_export_mb": round(rss_export / 1024, 1),
        "reimport_s": round(import_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, Path(os.environ["HUB_VAR_DIR"]))))
        return
    with tempfile.TemporaryDirectory(prefix="hub-bench-iati-") as var:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cooperation_hub.settings",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40),
            "HUB_VAR_DIR": var,
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        if "DATABASE_URL" not in os.environ:
            env["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(args.reports)], env=env, capture_output=True, text=True, check=False
        )
        if out.returncode:
            print(out.stderr[-3000:], file=sys.stderr)
            sys.exit(out.returncode)
        result = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        "| reports | activities | valid (IATI 2.03 XSD) | file MB | export s | ms/activity | re-import s | peak RSS MB |"
    )
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {result['reports']} | {result['activities']} | {'yes' if result['valid'] else 'NO'} | {result['file_mb']} "
        f"| {result['export_s']} | {result['export_ms_per_activity']} | {result['reimport_s']} | {result['peak_rss_mb']} |"
    )
    if not result["valid"]:
        print("\n".join(result["errors"]), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
