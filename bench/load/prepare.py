"""The Django side of the load benchmark, run in the benchmark's environment.

python -m bench.load.prepare N          # import N generated pages, index, open the consultation, accounts
python -m bench.load.prepare --count M  # JSON: contributions, replies and supports marked M in the database
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

ACCOUNT_DOMAIN = "loadbench.example"
ACCOUNTS = 40
PASSWORD = "load-bench-password-" + "7" * 8
QUERIES = [
    "écoles",
    "schools",
    "bethune",
    "plan climat",
    "budget participatif",
    "compost",
    "bus",
    "happiness index",
    "données ouvertes",
    "cantine",
    "santé",
    "energy renovation",
    "jardins partagés",
    "smart city",
    "dakar",
]


def _import(n: int) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    from bench.search.generate import write

    path = Path(os.environ["HUB_VAR_DIR"]) / "experiences.jsonl"
    write(str(path), n)
    database = {"BACKEND": "wagtail.search.backends.database", **settings.WAGTAILSEARCH_BACKENDS["database"]}
    quiet = {"database": {**database, "AUTO_UPDATE": False}, "default": {**database, "AUTO_UPDATE": False}}
    with override_settings(WAGTAILSEARCH_BACKENDS=quiet):  # indexed once, in bulk, below
        call_command("import_experiences", str(path), "--publish", verbosity=0)


def open_consultation() -> dict[str, str]:
    """The demo consultation opened now; its address per language."""
    from django.utils import timezone

    from contributions.models import ConsultationPage

    now = timezone.now()
    pages = ConsultationPage.objects.live()
    # The demo consultation's window is in the past or the future: open it now,
    # in every language (a queryset update: no revision, nothing to publish).
    pages.update(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7))
    return {page.locale.language_code: page.url for page in pages.select_related("locale")}


def make_accounts(count: int, password: str, prefix: str = "load", domain: str = ACCOUNT_DOMAIN) -> list[dict]:
    """``count`` fresh verified members (``{prefix}{i}@{domain}``), their sign-in details."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    hashed = make_password(password)  # once: the accounts share it
    users = User.objects.bulk_create([
        User(username=f"{prefix}{i}", email=f"{prefix}{i}@{domain}", password=hashed, display_name=f"Bench member {i}",
             city="Dakar", organisation="Bench") for i in range(count)
    ])  # fmt: skip
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    return [{"email": u.email, "password": password} for u in users]


def targets(consultation: dict[str, str], accounts: list[dict]) -> dict:
    """What the visitors of bench/load/locustfile.py pick from: the site's pages, tags, cities,
    queries, the open consultation and the members' accounts."""
    from wagtail.models import Page

    from contributions.models import ConsultationPage, Contribution
    from experiences import vocabulary
    from experiences.models import City, ExperiencePage

    live = ExperiencePage.objects.live().select_related("locale")
    experiences: dict[str, list[str]] = {"fr": [], "en": []}
    for page in live.only("url_path", "locale")[:2000]:
        experiences.setdefault(page.locale.language_code, []).append(page.url)
    tags = sorted({t.slug for page in live[:300] for t in page.tags.all()})
    visited = [page for page in ConsultationPage.objects.live() if page.url in consultation.values()]
    return {
        "experiences": experiences,
        "external_ids": list(live.exclude(external_id="").values_list("external_id", flat=True).distinct()[:500]),
        "page_ids": list(Page.objects.live().filter(depth__gt=1).values_list("id", flat=True)[:500]),
        "tags": tags or ["smart-city"],
        "themes": [t.slug for t in vocabulary.THEMES],
        "countries": sorted(set(City.objects.values_list("country", flat=True))),
        "cities": list(City.objects.exclude(slug="").values_list("slug", flat=True)[:200]),
        "consultation": consultation,
        # Those of the consultation the members visit: its permalinks answer 404 for another's.
        "contribution_ids": list(
            Contribution.objects.filter(state="published", consultation__in=visited).values_list("id", flat=True)
        ),
        "queries": QUERIES,
        "accounts": accounts,
    }


def prepare(n: int) -> None:
    from experiences.models import ExperiencePage
    from search.comparable_store import refresh_all
    from search.indexing import rebuild

    _import(n)
    consultation = open_consultation()
    print("building the OpenSearch index", file=sys.stderr, flush=True)
    rebuild("default", progress=False)
    # A network at rest: every report's comparable projects stored, as the worker leaves them
    # after an import (a report page whose list is missing works it out on the fly).
    started = time.monotonic()
    worked_out = refresh_all(missing_only=True)
    print(f"comparable projects of {worked_out} reports: {time.monotonic() - started:.0f} s", file=sys.stderr)
    # The refreshes the import queued for the worker are done: left queued, the worker would
    # redo them all during the first level of users.
    from cooperation_hub.celery import app

    print(f"{app.control.purge()} queued refresh(es) dropped", file=sys.stderr)
    found = targets(consultation, make_accounts(ACCOUNTS, PASSWORD))
    (Path(os.environ["HUB_VAR_DIR"]) / "targets.json").write_text(json.dumps(found, ensure_ascii=False))
    print(
        f"{ExperiencePage.objects.live().count()} live experience pages, {len(found['cities'])} cities", file=sys.stderr
    )


def count(marker: str) -> dict:
    from contributions.models import Contribution, Reply, Support

    return {
        "contributions": Contribution.objects.filter(title__contains=marker).count(),
        "replies": Reply.objects.filter(body__contains=marker).count(),
        "supports": Support.objects.filter(user__email__endswith=f"@{ACCOUNT_DOMAIN}").count(),
    }


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "--count":
        print(json.dumps(count(sys.argv[2])))
    else:
        prepare(int(sys.argv[1]))
