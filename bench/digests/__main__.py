"""Digest benchmark: N subscribers with varied interests over a realistic corpus.

    python -m bench.digests [--subscribers 10000] [--experiences 300] [--workers 1 2]

Builds (once, reused on the next run) a corpus: the demo content plus generated
cities and experience reports in French and English, published during the
period; then N subscribers with random themes, SDGs, tags, regions, cities,
languages and frequencies = daily. For each worker count it clears the delivery
ledger, runs the digests of one period through ``digests.process_batch`` (the
code a Celery batch task runs) in that many worker processes, each handing its
e-mails to a real SMTP server on loopback (aiosmtpd, in this process), and
reports digests built and handed to SMTP per second, and database queries per
digest. PostgreSQL when DATABASE_URL is set, else SQLite under var/.

Right after each run, the floor (issue #12): the very same digests, built
beforehand and untimed, only rendered (``digests.render_digest``) and handed to
the same SMTP server on one reused connection, in one process. It prints
product, floor and their ratio (seconds per subscriber); it never fails on time.
"""

import argparse
import multiprocessing
import os
import random
import sys
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.digests.settings")

THEMES = [
    "habitat-environment",
    "mobility-transport",
    "education-employment",
    "food-consumption",
    "leisure-culture",
    "health-wellbeing",
    "mutual-aid-solidarity",
    "energy-climate",
    "digital-governance",
]
TAGS = [
    "smart city",
    "composting",
    "solar",
    "happiness index",
    "open data",
    "schools",
    "flood alerts",
    "bus",
    "heritage",
    "participation",
    "recycling",
    "water",
    "housing",
    "cycling",
    "telemedicine",
]
COUNTRIES = ["FR", "SN", "MA", "VN", "BR", "DE", "CN", "TN", "BF", "IT", "CM", "BE", "MG", "CA", "IN"]


def setup_django():
    import django

    django.setup()


def build_corpus(n_experiences: int, seed: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from experiences.models import ExperiencePage

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    existing = ExperiencePage.objects.filter(external_id__startswith="bench-").count()
    if existing >= n_experiences * 2:
        return
    from search.comparable_store import deferred_refresh

    rng = random.Random(seed)
    start = timezone.now() - timedelta(hours=20)
    t0 = time.perf_counter()
    # Comparable projects worked out once at the end, as an import does: with tasks run inline,
    # each publication refreshed its neighbours' lists in turn (20 s a report at 350 reports).
    with deferred_refresh():
        _publish_corpus(rng, start, existing // 2, n_experiences)
    print(f"corpus: {n_experiences} experiences x 2 languages in {time.perf_counter() - t0:.0f}s", file=sys.stderr)


def _publish_corpus(rng: random.Random, start, first: int, n_experiences: int) -> None:
    from tests.subscriptions.helpers import city, publish_experience

    for i in range(first, n_experiences):
        c = city(f"Bench City {i % 120}", COUNTRIES[i % len(COUNTRIES)], rng.choice([8000, 45000, 300000, 2000000]))
        themes = rng.sample(THEMES, rng.randint(1, 3))
        sdgs = rng.sample(range(1, 18), rng.randint(1, 4))
        tags = rng.sample(TAGS, rng.randint(0, 3))
        status = rng.choice(["planned", "in_progress", "completed"])
        at = start + timedelta(seconds=rng.randint(0, 3600 * 18))
        en = publish_experience(
            title=f"Bench experience {i}",
            city=c,
            themes=themes,
            sdgs=sdgs,
            tags=tags,
            status=status,
            language="en",
            at=at,
            external_id=f"bench-{i}",
        )
        publish_experience(
            title=f"Expérience de banc {i}",
            city=c,
            themes=themes,
            sdgs=sdgs,
            tags=tags,
            status=status,
            language="fr",
            at=at,
            translation_of=en,
        )


def build_subscribers(n: int, seed: int) -> None:
    from django.utils import timezone

    from contributions.models import ConsultationPage
    from experiences.models import City, SustainableDevelopmentGoal, Theme
    from subscriptions.models import Subscription

    current = Subscription.objects.filter(email__endswith="@bench.example").count()
    if current == n:
        return
    Subscription.objects.filter(email__endswith="@bench.example").delete()
    rng = random.Random(seed)
    theme_ids = list(Theme.objects.values_list("id", flat=True))
    sdg_ids = list(SustainableDevelopmentGoal.objects.values_list("id", flat=True))
    city_ids = list(City.objects.values_list("id", flat=True))
    consultation_keys = [str(k) for k in ConsultationPage.objects.values_list("translation_key", flat=True).distinct()]
    confirmed = timezone.now() - timedelta(days=1)
    subs = []
    for i in range(n):
        subs.append(
            Subscription(
                email=f"reader{i}@bench.example",
                confirmed_at=confirmed,
                frequency="daily",
                language=rng.choice(["fr", "en"]),
                nothing_new_note=rng.random() < 0.2,
                tags=rng.sample(TAGS, rng.choice([0, 0, 1, 2])),
                regions=rng.choice([[], [], ["south"], ["north"]]),
                countries=rng.choice([[], [], [], [rng.choice(COUNTRIES)]]),
                consultations=consultation_keys if rng.random() < 0.3 else [],
                city_id=rng.choice(city_ids) if rng.random() < 0.5 else None,
            )
        )
    Subscription.objects.bulk_create(subs, batch_size=2000)
    ids = list(Subscription.objects.filter(email__endswith="@bench.example").values_list("id", flat=True))
    ThemeLink, SdgLink = Subscription.themes.through, Subscription.sdgs.through
    ThemeLink.objects.bulk_create(
        [ThemeLink(subscription_id=s, theme_id=t) for s in ids for t in rng.sample(theme_ids, rng.randint(0, 3))],
        batch_size=5000,
    )
    SdgLink.objects.bulk_create(
        [
            SdgLink(subscription_id=s, sustainabledevelopmentgoal_id=g)
            for s in ids
            for g in rng.sample(sdg_ids, rng.choice([0, 0, 1, 2]))
        ],
        batch_size=5000,
    )


def _worker(args):
    """One worker process: the batches given to it, through the real SMTP backend."""
    batches, boundary_iso, smtp_port = args
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    setup_django()
    from datetime import datetime

    from django.conf import settings
    from django.db import connection

    from cooperation_hub import process_memo
    from subscriptions import digests

    # A worker starts with nothing kept: what the parent kept while it measured the floor would
    # spare each worker its first load of the period's reports, which a Celery worker pays.
    process_memo.forget_all()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    sent = skipped = failed = 0
    with connection.execute_wrapper(count):
        for ids in batches:
            r = digests.process_batch(ids, "daily", datetime.fromisoformat(boundary_iso))
            sent, skipped, failed = sent + r.sent, skipped + r.skipped, failed + r.failed
    connection.close()
    return sent, skipped, failed, queries


def run(workers: int, smtp_port: int, batch_size: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from subscriptions import digests
    from subscriptions.models import DigestDelivery

    DigestDelivery.objects.all().delete()
    boundary, batches = digests.dispatch_due("daily", timezone.now() + timedelta(days=1), batch_size)
    connection.close()
    shares = [batches[i::workers] for i in range(workers)]
    t0 = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        results = pool.map(_worker, [(share, boundary.isoformat(), smtp_port) for share in shares])
    elapsed = time.perf_counter() - t0
    sent = sum(r[0] for r in results)
    skipped = sum(r[1] for r in results)
    failed = sum(r[2] for r in results)
    queries = sum(r[3] for r in results)
    digests_built = sent + skipped
    return {
        "workers": workers,
        "subscribers": sum(len(b) for b in batches),
        "sent": sent,
        "skipped": skipped,
        "failed": failed,
        "seconds": elapsed,
        "per_second": digests_built / elapsed if elapsed else 0,
        "sent_per_second": sent / elapsed if elapsed else 0,
        "queries_per_digest": queries / max(digests_built, 1),
    }


def floor(smtp_port: int, batch_size: int) -> dict:
    """Render-and-send only, on one reused connection: what the product costs at best."""
    from django.core.mail import get_connection
    from django.db import connection
    from django.utils import timezone

    from subscriptions import digests
    from subscriptions.models import DigestDelivery

    DigestDelivery.objects.all().delete()
    boundary, batches = digests.dispatch_due("daily", timezone.now() + timedelta(days=1), batch_size)
    subscribers, built = 0, []
    for ids in batches:  # untimed: loading and choosing what each digest shows
        subs = digests.load_subscriptions(ids, "daily")
        data = digests.DigestData(subs, digests.periods_for(subs, boundary))
        subscribers += len(subs)
        for sub in subs:
            digest = data.digest_for(sub)
            if not (digest.is_empty and not sub.nothing_new_note):
                built.append(digest)
    connection.close()
    smtp = get_connection("django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=smtp_port)
    smtp.open()
    t0 = time.perf_counter()
    for digest in built:
        smtp.send_messages([digests.render_digest(digest)])
    elapsed = time.perf_counter() - t0
    smtp.close()
    return {"subscribers": subscribers, "sent": len(built), "seconds": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--experiences", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from tests.subscriptions.smtp import SMTPServer

    build_corpus(args.experiences, args.seed)
    build_subscribers(args.subscribers, args.seed)
    connection.close()
    print(f"database: {connection.vendor}; subscribers: {args.subscribers}; batch size: {args.batch_size}")
    single = 0.0
    with SMTPServer() as smtp:
        # Untimed: the templates compiled and the catalogues loaded, as in a Celery worker that has
        # sent a batch already. The worker processes fork from here and inherit them; without it the
        # first run's workers compiled every template themselves (2.25x, then 1.49x on the next run).
        floor(smtp.port, args.batch_size)
        for workers in args.workers:
            before = len(smtp.handler.messages)
            r = run(workers, smtp.port, args.batch_size)
            received = len(smtp.handler.messages) - before
            print(
                f"{workers} worker(s): {r['subscribers']} digests built in {r['seconds']:.1f}s "
                f"= {r['per_second']:.0f} digests/s ({r['sent']} e-mailed = {r['sent_per_second']:.0f}/s, "
                f"{r['skipped']} nothing new, {r['failed']} failed; SMTP server received {received}); "
                f"{r['queries_per_digest']:.2f} queries/digest"
            )
            f = floor(smtp.port, args.batch_size)
            product = r["seconds"] / max(r["subscribers"], 1) * 1000
            best = f["seconds"] / max(f["subscribers"], 1) * 1000
            if workers == 1:
                single = product
            print(
                f"  product {product:.2f} ms/subscriber ({workers} worker(s)); floor {best:.2f} ms/subscriber "
                f"(render and send {f['sent']} on one reused connection, one process); "
                f"ratio {product / best if best else float('nan'):.2f}x"
                + (f"; speed-up over 1 worker {single / product:.2f}x" if workers > 1 and single else "")
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
