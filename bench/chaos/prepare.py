"""The Django side of the chaos run, in the topology's environment (scripts/topology.sh env).

python -m bench.chaos.prepare RUN N     # open the consultation, N fresh members; JSON on stdout
python -m bench.chaos.prepare --count MARKER   # JSON: {title: rows} of contributions marked MARKER
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import django

PASSWORD = "chaos-bench-password-" + "5" * 8


def prepare(run: str, count: int) -> dict:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from contributions.models import ConsultationPage

    now = timezone.now()
    pages = ConsultationPage.objects.live()
    # Open the demo consultation now, in every language (as bench/load does).
    pages.update(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7))
    User = get_user_model()
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create([
        User(username=f"chaos{run}x{i}", email=f"chaos{run}x{i}@chaos.example", password=hashed,
             display_name=f"Chaos {i}", city="Dakar", organisation="Bench") for i in range(count)
    ])  # fmt: skip
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    return {
        "consultation": {page.locale.language_code: page.url for page in pages.select_related("locale")},
        "accounts": [{"email": u.email, "password": PASSWORD} for u in users],
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
