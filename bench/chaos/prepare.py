"""The Django side of the chaos run, in the topology's environment (scripts/topology.sh env).

python -m bench.chaos.prepare RUN N     # open the consultation, N fresh members; JSON on stdout
python -m bench.chaos.prepare --count MARKER   # JSON: {title: rows} of contributions marked MARKER
"""

from __future__ import annotations

import json
import sys

import django

PASSWORD = "chaos-bench-password-" + "5" * 8


def prepare(run: str, count: int) -> dict:
    from bench.load.prepare import make_accounts, open_consultation

    return {
        "consultation": open_consultation(),
        "accounts": make_accounts(count, PASSWORD, prefix=f"chaos{run}x", domain="chaos.example"),
    }


def stored(marker: str) -> dict[str, int]:
    from django.db.models import Count

    from contributions.models import Contribution

    rows = Contribution.objects.filter(title__contains=marker).values("title").annotate(n=Count("id"))
    return {row["title"]: row["n"] for row in rows}


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "--count":
        print(json.dumps(stored(sys.argv[2])))
    else:
        print(json.dumps(prepare(sys.argv[1], int(sys.argv[2]))))
