"""Digests without services: SQLite, eager Celery, in-memory e-mail."""

import re
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings

from subscriptions import digests, tasks
from subscriptions.models import DigestDelivery, Subscription

from .backends import FlakyBackend
from .helpers import city, publish_experience, subscriber

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
# A Monday, 12:00 in Paris; the daily boundary before it is 07:00 the same day.
T0 = datetime(2031, 3, 10, 12, 0, tzinfo=PARIS)
B0 = datetime(2031, 3, 10, 7, 0, tzinfo=PARIS)


def test_period_boundaries_in_site_timezone(settings):
    settings.DIGEST_SEND_HOUR = 7
    settings.DIGEST_SEND_WEEKDAY = 1
    assert digests.period_boundary("daily", T0) == B0
    assert digests.period_boundary("daily", B0 - timedelta(seconds=1)) == B0 - timedelta(days=1)
    assert digests.period_boundary("weekly", T0 + timedelta(days=3)) == B0  # Thursday -> Monday
    assert digests.period_boundary("monthly", T0) == datetime(2031, 3, 1, 7, 0, tzinfo=PARIS)
    # Across the DST change (30 March 2031): still 07:00 local time.
    after_dst = datetime(2031, 3, 31, 9, 0, tzinfo=PARIS)
    assert digests.period_boundary("daily", after_dst) == datetime(2031, 3, 31, 7, 0, tzinfo=PARIS)
    assert digests.period_boundary("daily", after_dst).utcoffset() == timedelta(hours=2)


@pytest.fixture
def world(db):
    grenoble = city("Grenoble-T", "FR", 158000)
    cahors = city("Cahors-T", "FR", 19400)
    dakar = city("Thiès-T", "SN", 320000)
    en = publish_experience(
        title="Schools monitor their energy",
        city=grenoble,
        themes=["energy-climate"],
        status="completed",
        language="en",
        at=T0 - timedelta(days=1),
    )
    fr = publish_experience(
        title="Les écoles suivent leur énergie",
        city=grenoble,
        themes=["energy-climate"],
        status="completed",
        language="fr",
        at=T0 - timedelta(days=1),
        translation_of=en,
    )
    publish_experience(
        title="Solar roofs plan",
        city=dakar,
        themes=["energy-climate"],
        status="planned",
        language="en",
        at=T0 - timedelta(days=40),
    )
    other = publish_experience(
        title="Bus lanes", city=cahors, themes=["mobility-transport"], language="en", at=T0 - timedelta(hours=30)
    )
    return {"grenoble": grenoble, "cahors": cahors, "dakar": dakar, "en": en, "fr": fr, "other": other}


def _send(now: datetime, frequency: str = "daily") -> str:
    out = StringIO()
    call_command("send_digests", frequency=frequency, now=now.isoformat(), stdout=out, verbosity=0)
    return out.getvalue()


def test_digest_content_in_both_languages(world, mailoutbox):
    confirmed = T0 - timedelta(days=5)
    sub_en = subscriber(
        "en@example.org",
        confirmed_at=confirmed,
        themes=["energy-climate"],
        language="en",
        frequency="daily",
        city=world["dakar"],
    )
    subscriber("fr@example.org", confirmed_at=confirmed, themes=["energy-climate"], language="fr", frequency="daily")
    summary = _send(T0)
    assert "sent 2, skipped 0" in summary
    by_to = {m.to[0]: m for m in mailoutbox}
    en, fr = by_to["en@example.org"], by_to["fr@example.org"]
    assert en.subject == "Cooperation Hub: 1 new item for you"
    assert "Schools monitor their energy" in en.body and "Bus lanes" not in en.body
    assert "Les écoles suivent leur énergie" in fr.body and "Schools monitor" not in fr.body
    assert "Nouvelles expériences" in fr.body and fr.subject.startswith("Cooperation Hub")
    # Peer matches for the subscriber's own city, with reasons in words.
    assert "Grenoble-T" in en.body and "across the North–South divide" in en.body
    assert "Grenoble-T completed what Thiès-T plans (Energy & climate)" in en.body
    # HTML alternative: inline CSS, table layout, every link absolute.
    html, mimetype = en.alternatives[0]
    assert mimetype == "text/html" and 'role="presentation"' in html and 'style="' in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(h.startswith("http://127.0.0.1:8000/") for h in hrefs), hrefs
    assert all(link.startswith("http") for link in re.findall(r"\S+://\S+", en.body))
    assert "/en/subscriptions/manage/" in en.body and "/en/subscriptions/unsubscribe/" in en.body
    # RFC 8058 one-click unsubscribe.
    assert en.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://127\.0\.0\.1:8000/en/subscriptions/unsubscribe/[^>]+/>", en.extra_headers["List-Unsubscribe"]
    )
    delivery = DigestDelivery.objects.get(subscription=sub_en)
    assert (delivery.state, delivery.period_start, delivery.period_end) == ("sent", confirmed, B0)


def test_no_email_when_nothing_new_unless_asked(world, mailoutbox):
    quiet = subscriber(confirmed_at=T0 - timedelta(days=2), themes=["food-consumption"], frequency="daily")
    noted = subscriber(
        confirmed_at=T0 - timedelta(days=2),
        themes=["food-consumption"],
        frequency="daily",
        nothing_new_note=True,
        language="fr",
    )
    summary = _send(T0)
    assert "sent 1, skipped 1" in summary
    assert [m.to[0] for m in mailoutbox] == [noted.email]
    assert "Rien de nouveau" in mailoutbox[0].body
    assert DigestDelivery.objects.get(subscription=quiet).state == "skipped"


def test_unconfirmed_paused_and_unsubscribed_get_nothing(world, mailoutbox):
    subscriber(confirmed_at=None, frequency="daily")
    Subscription.objects.filter(pk=subscriber(frequency="daily").pk).update(paused_at=T0, pause_reason="bounced")
    Subscription.objects.filter(pk=subscriber(frequency="daily").pk).update(unsubscribed_at=T0)
    _send(T0 + timedelta(days=30))
    assert mailoutbox == []


def test_repeated_tick_sends_exactly_once(world, mailoutbox):
    subs = [subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily") for _ in range(5)]
    first = tasks.send_due_digests.delay("daily", now=T0.isoformat()).get()
    second = tasks.send_due_digests.delay("daily", now=T0.isoformat()).get()
    assert first["subscriptions"] == 5 and second["subscriptions"] == 0
    # Even a batch replayed for the same subscribers (a redelivered message) sends nothing.
    tasks.send_digest_batch.delay([s.pk for s in subs], "daily", B0.isoformat()).get()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(s.email for s in subs)
    assert DigestDelivery.objects.filter(subscription__in=subs).count() == 5


def test_periods_are_contiguous_and_an_outage_is_caught_up_in_one_digest(world, mailoutbox):
    sub = subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily")
    _send(T0)
    assert len(mailoutbox) == 1 and "Schools monitor" in mailoutbox[0].body
    late = publish_experience(
        title="Citizen solar", city=world["cahors"], themes=["energy-climate"], language="en", at=T0 + timedelta(days=1)
    )
    # Two daily ticks are missed; the next run sends one digest covering all of it.
    _send(T0 + timedelta(days=3))
    assert len(mailoutbox) == 2
    body = mailoutbox[1].body
    assert late.title in body and "Schools monitor" not in body  # nothing skipped, nothing twice
    first, second = DigestDelivery.objects.filter(subscription=sub).order_by("period_start")
    assert first.period_end == second.period_start == B0
    assert second.period_end == B0 + timedelta(days=3)
    _send(T0 + timedelta(days=3, hours=2))  # same period again: nothing
    assert len(mailoutbox) == 2


def test_updated_experiences_are_reported_as_updates(world, mailoutbox):
    from experiences.models import ExperiencePage

    sub = subscriber(confirmed_at=B0, frequency="daily", themes=["mobility-transport"])
    ExperiencePage.objects.filter(pk=world["other"].pk).update(last_published_at=T0 + timedelta(hours=1))
    _send(T0 + timedelta(days=1))
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [sub.email]
    assert "Updated experiences" in mailoutbox[0].body and "Bus lanes" in mailoutbox[0].body


def test_smtp_failure_is_retried_then_sent(world, mailoutbox):
    sub = subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily")
    FlakyBackend.failures, FlakyBackend.attempts = 1, 0
    with override_settings(EMAIL_BACKEND="tests.subscriptions.backends.FlakyBackend"):
        result = tasks.send_due_digests.delay("daily", now=T0.isoformat()).get()
    assert result["subscriptions"] == 1
    delivery = DigestDelivery.objects.get(subscription=sub)
    assert delivery.state == "sent" and delivery.attempts == 2
    assert "SMTPServerDisconnected" in delivery.last_error
    assert len(mailoutbox) == 1


def test_last_failure_is_visible_and_the_next_digest_covers_the_failed_period(world, mailoutbox):
    sub = subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily")
    FlakyBackend.failures, FlakyBackend.attempts = 1000, 0
    with override_settings(EMAIL_BACKEND="tests.subscriptions.backends.FlakyBackend"):
        tasks.send_due_digests.delay("daily", now=T0.isoformat()).get()
    delivery = DigestDelivery.objects.get(subscription=sub)
    assert delivery.state == "failed"
    assert delivery.attempts == 1 + 1 + tasks.max_retries()
    assert "SMTPServerDisconnected" in delivery.last_error
    assert mailoutbox == []
    # The next day, the failed period is re-opened and extended: one digest, nothing lost.
    tasks.send_due_digests.delay("daily", now=(T0 + timedelta(days=1)).isoformat()).get()
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.period_end == B0 + timedelta(days=1)
    assert len(mailoutbox) == 1 and "Schools monitor" in mailoutbox[0].body


def test_stale_claim_of_a_dead_worker_is_recovered(world, mailoutbox):
    sub = subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily")
    periods = digests.periods_for([sub], B0)
    [delivery] = digests.claim(periods, "daily").values()  # a worker claimed, then died
    DigestDelivery.objects.filter(pk=delivery.pk).update(claimed_at=T0 - timedelta(hours=2))
    assert tasks.send_due_digests.delay("daily", now=T0.isoformat(), stale_after_seconds=1800).get()["recovered"] == 1
    delivery.refresh_from_db()
    assert delivery.state == "sent" and len(mailoutbox) == 1
    # A second run finds nothing stale and nothing due.
    again = tasks.send_due_digests.delay("daily", now=T0.isoformat(), stale_after_seconds=1800).get()
    assert again == {"batches": 0, "subscriptions": 0, "recovered": 0}


def test_dry_run_claims_and_sends_nothing(world, mailoutbox):
    subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily")
    out = StringIO()
    call_command("send_digests", frequency="daily", now=T0.isoformat(), dry_run=True, stdout=out, verbosity=0)
    assert "dry run" in out.getvalue() and "sent 1" in out.getvalue()
    assert mailoutbox == [] and not DigestDelivery.objects.exists()


def test_queries_per_digest_do_not_grow_with_subscribers(world, django_assert_max_num_queries, settings):
    settings.DIGEST_CONFIRM_EVERY = 20  # grouped confirmations: a fixed number of commits per group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(n: int) -> int:
        subs = [
            subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily", themes=["energy-climate"])
            for _ in range(n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            digests.process_batch([s.pk for s in subs], "daily", B0)
        DigestDelivery.objects.all().delete()
        Subscription.objects.filter(pk__in=[s.pk for s in subs]).delete()
        return len(ctx.captured_queries)

    small, large = run(5), run(40)
    # A fixed cost per batch; the digests are confirmed in one transaction (BEGIN, an UPDATE of
    # the sent rows, one of the nothing-new rows, COMMIT) every `confirm_every()` digests, so the
    # 35 more digests cost at most two more such transactions, not a query each.
    assert large - small <= 4 * -(-35 // digests.confirm_every()), (small, large)
