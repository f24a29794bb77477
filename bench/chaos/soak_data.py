"""The Django side of the soak (python -m bench.chaos --soak), in the topology's environment.

python -m bench.chaos.soak_data prepare RUN ACCOUNTS SUBSCRIBERS TARGETS_FILE
    opens the demo consultation, makes ACCOUNTS fresh verified members and SUBSCRIBERS confirmed
    daily subscriptions due a digest now (the subscriptions app's own model; confirmed two days
    ago, no digest yet, a note even when nothing is new: each one is owed exactly one e-mail),
    writes bench.load's targets file; JSON on stdout: the digest addresses' domain and counts.
python -m bench.chaos.soak_data count RUN LEDGER_FILE
    JSON: what the database and the engine hold for the run (see count()).
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import django

PASSWORD = "soak-bench-password-" + "9" * 8


def digest_domain(run: str) -> str:
    return f"digest-{run}.soak.example"


def prepare(run: str, accounts: int, subscribers: int, targets_file: str) -> dict:
    from django.utils import timezone

    from bench.load.prepare import make_accounts, open_consultation, targets
    from contributions.models import ConsultationPage
    from search.indexing import index_object
    from subscriptions.models import Frequency, Subscription

    now = timezone.now()
    consultation = open_consultation()
    # A queryset update bypasses the index: the pages changed here are indexed again now, so that
    # the index check afterwards compares the run's work, not this preparation's.
    for pk in ConsultationPage.objects.live().values_list("pk", flat=True):
        index_object(ConsultationPage, pk)
    members = make_accounts(accounts, PASSWORD, prefix=f"soak{run}x", domain="soak.example")
    # Due now: confirmed before the last daily boundary, never sent a digest.
    Subscription.objects.bulk_create(
        [
            Subscription(email=f"d{i}@{digest_domain(run)}", frequency=Frequency.DAILY, language=random.choice(["fr", "en"]),
                         nothing_new_note=True, created_at=now - timedelta(days=3), confirmed_at=now - timedelta(days=2))
            for i in range(subscribers)
        ],
        batch_size=500,
    )  # fmt: skip
    Path(targets_file).write_text(json.dumps(targets(consultation, members), ensure_ascii=False))
    return {"digest_domain": digest_domain(run), "subscribers": subscribers, "accounts": accounts}


def digest_states(run: str) -> dict:
    from django.db.models import Count

    from subscriptions.models import DigestDelivery

    rows = (
        DigestDelivery.objects.filter(subscription__email__endswith=f"@{digest_domain(run)}")
        .values("state")
        .annotate(n=Count("id"))
    )
    return {row["state"]: row["n"] for row in rows}


def _normal(value):
    """A document's value compared as a reader would: JSON types, lists in any order (tags come unordered)."""
    value = json.loads(json.dumps(value, default=str))
    if isinstance(value, list):
        return sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def index_check(sample: int = 20) -> dict:
    """The engine's index against the database, read only (no repair): which objects are indexed,
    and, for a sample (the newest objects first, then random ones), whether the document on the
    engine says what the object says now (every hub field; lists compared in any order)."""
    from wagtail.search.backends import get_search_backend

    from search.documents import document_for
    from search.engines.client import scan
    from search.indexing import _leaf_models, _models_for, is_engine

    backend = get_search_backend("default")
    if not is_engine(backend):
        return {"engine": False}
    backend.refresh_indexes()
    result = {"engine": True, "database": 0, "indexed": 0, "missing": [], "orphans": [], "stale": [], "sampled": 0}
    rng = random.Random(0)
    for index, index_models in _models_for(backend):
        for model in _leaf_models(index_models):
            if model._meta.abstract:
                continue
            mapping = backend.mapping_class(model)
            body = {"query": {"term": {"_django_content_type": mapping.get_content_type()}}}
            indexed = {}
            for hit in scan(backend, index.name, body):
                indexed[hit["_id"].split(":", 1)[-1]] = hit.get("_source") or {}
            qs = model.get_indexed_objects()
            if hasattr(qs, "exact_type"):
                qs = qs.exact_type(model)
            objects = {str(obj.pk): obj for obj in qs}
            label = model._meta.label
            result["database"] += len(objects)
            result["indexed"] += len(indexed)
            result["missing"] += [f"{label}:{pk}" for pk in set(objects) - set(indexed)]
            result["orphans"] += [f"{label}:{pk}" for pk in set(indexed) - set(objects)]
            keys = sorted(set(objects) & set(indexed), key=lambda pk: -int(pk) if pk.isdigit() else 0)
            chosen = keys[:sample] + rng.sample(keys[sample:], min(sample, max(0, len(keys) - sample)))
            for pk in chosen:
                result["sampled"] += 1
                expected = document_for(objects[pk])
                got = indexed[pk]
                if any(_normal(v) != _normal(got.get(k)) for k, v in expected.items() if k != "hub_fingerprint"):
                    result["stale"].append(f"{label}:{pk}")
    return result


def count(run: str, ledger_file: str) -> dict:
    from django.db.models import Count

    from contributions.models import Contribution, Reply, Support
    from cooperation_hub.models import DeferredTask
    from subscriptions.models import Subscription

    marker = f"soak{run}"
    ledger = [json.loads(line) for line in Path(ledger_file).read_text().splitlines() if line.strip()]
    acked: dict[str, list] = {}
    for _t, kind, key in ledger:
        acked.setdefault(kind, []).append(key)
    titles = Counter(
        dict(Contribution.objects.filter(title__contains=marker).values_list("title").annotate(n=Count("id")))
    )
    # Replies are stored as HTML (<p>...</p>): compared on their text.
    replies = Counter(
        re.sub(r"<[^>]+>", "", body).strip()
        for body in Reply.objects.filter(body__contains=marker).values_list("body", flat=True)
    )
    supports = Counter(
        f"{email} {cid}"
        for email, cid in Support.objects.filter(user__email__endswith="@soak.example", user__username__startswith=marker)
        .values_list("user__email", "contribution_id")
    )  # fmt: skip
    subs = {
        email: confirmed
        for email, confirmed in Subscription.objects.filter(email__startswith=f"{marker}-s").values_list(
            "email", "confirmed_at"
        )
    }

    def compare(kind: str, stored: Counter, key=lambda k: k) -> dict:
        keys = [key(k) for k in acked.get(kind, [])]
        return {
            "acknowledged": len(set(keys)),
            "stored": sum(stored.values()),
            "missing": [k for k in set(keys) if stored.get(k, 0) == 0][:10],
            "twice": [k for k, n in stored.items() if n > 1][:10],
            "not_acknowledged": len([k for k in stored if k not in set(keys)]),
        }

    return {
        "contributions": compare("contribution", titles),
        "replies": compare("reply", replies),
        "supports": compare("support", supports, key=lambda k: f"{k[0]} {k[1]}"),
        "subscriptions": {
            "acknowledged": len(set(acked.get("subscription", []))),
            "stored": len(subs),
            "missing": [e for e in set(acked.get("subscription", [])) if e not in subs][:10],
            "confirmed_acknowledged": len(set(acked.get("confirmation", []))),
            "confirmed_but_not_stored_confirmed": [e for e in set(acked.get("confirmation", [])) if not subs.get(e)][
                :10
            ],
        },
        "digest_states": digest_states(run),
        "deferred_tasks": DeferredTask.objects.count(),
        "index": index_check(),
    }


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "prepare":
        print(json.dumps(prepare(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])))
    elif sys.argv[1] == "digests":
        print(json.dumps(digest_states(sys.argv[2])))
    elif sys.argv[1] == "index":
        print(json.dumps(index_check()))
    elif sys.argv[1] == "deferred":
        from cooperation_hub.models import DeferredTask

        print(json.dumps({"deferred_tasks": DeferredTask.objects.count()}))
    else:
        print(json.dumps(count(sys.argv[2], sys.argv[3]), default=str))
