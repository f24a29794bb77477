"""What a batch of digests costs does not grow with what the digests show: the
database queries per digest and the look-ups of the site's root paths (page
addresses are built from ``url_path`` once per batch) stay the same whether the
period has few reports or many; the addresses are those Wagtail gives."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from search.comparable_store import deferred_refresh
from subscriptions import digests
from subscriptions.models import DigestDelivery

from .helpers import city, publish_experience, subscriber

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2031, 3, 10, 12, 0, tzinfo=PARIS)
B0 = datetime(2031, 3, 10, 7, 0, tzinfo=PARIS)


def _reports(n: int, start: int) -> list:
    """``n`` reports in English and French. Their comparable projects are refreshed once at the
    end, as an import does, not after each publication (seconds each): digests do not show them."""
    grenoble = city("Grenoble-C", "FR", 158000)
    with deferred_refresh():
        return _publish(n, start, grenoble)


def _publish(n: int, start: int, grenoble) -> list:
    pages = []
    for i in range(start, start + n):
        en = publish_experience(
            title=f"Report {i}",
            city=grenoble,
            themes=["energy-climate"],
            language="en",
            at=T0 - timedelta(hours=10 + i),
        )
        pages += [
            en,
            publish_experience(
                title=f"Rapport {i}",
                city=grenoble,
                themes=["energy-climate"],
                language="fr",
                at=T0 - timedelta(hours=10 + i),
                translation_of=en,
            ),
        ]
    return pages


def _batch_cost(monkeypatch, subs) -> tuple[int, int]:
    """(queries, root-path look-ups) of one batch; the ledger emptied afterwards."""
    lookups = []
    real = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(lambda: lookups.append(1) or real()))
    with CaptureQueriesContext(connection) as ctx:
        result = digests.process_batch([s.pk for s in subs], "daily", B0)
    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(real))
    assert result.sent == len(subs)
    DigestDelivery.objects.all().delete()
    return len(ctx.captured_queries), len(lookups)


def test_a_batch_costs_the_same_with_few_or_many_reports(monkeypatch, mailoutbox):
    subs = [
        subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily", themes=["energy-climate"], language=language)
        for language in ("en", "fr", "en")
    ]
    _reports(2, 0)
    few = _batch_cost(monkeypatch, subs)
    _reports(6, 2)
    many = _batch_cost(monkeypatch, subs)
    assert few == many, (few, many)
    assert few[1] <= 1  # the root paths once per batch, not once per report
    # Every report of the period is in its reader's digest.
    english = [m for m in mailoutbox[len(subs) :] if m.to == [subs[0].email]][0]
    assert all(f"Report {i}" in english.body for i in range(8))


def test_report_addresses_in_a_digest_are_the_ones_wagtail_gives(settings, mailoutbox):
    settings.SITE_URL = "https://hub.example.net"
    pages = _reports(1, 0)
    subs = [
        subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily", language=p.locale.language_code)
        for p in pages
    ]
    digests.process_batch([s.pk for s in subs], "daily", B0)
    for page, sub in zip(pages, subs, strict=True):
        [message] = [m for m in mailoutbox if m.to == [sub.email]]
        expected = "https://hub.example.net" + page.get_url_parts()[2]
        assert expected in message.body, (expected, message.body)


def test_a_batch_confirms_in_few_commits_and_what_it_sent_before_stopping_is_not_sent_again(
    monkeypatch, mailoutbox, settings
):
    """Sent digests are confirmed together (one transaction every CONFIRM_EVERY e-mails, and
    when the batch ends however it ends), not one commit per e-mail: a batch that stops half-way
    still records what went out, and the stale-claim recovery sends only the rest, once."""
    settings.DIGEST_CONFIRM_EVERY = GROUP = 20
    _reports(1, 0)
    subs = [
        subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily", themes=["energy-climate"])
        for _ in range(GROUP + 10)
    ]
    real = digests.render_digest
    rendered = []

    def render_then_lose_the_worker(digest, delivery=None):
        rendered.append(digest)
        if len(rendered) == GROUP + 6:
            raise RuntimeError("worker lost")
        return real(digest, delivery)

    monkeypatch.setattr(digests, "render_digest", render_then_lose_the_worker)
    commits = []
    monkeypatch.setattr(digests.Confirmations, "flush", _counting(digests.Confirmations.flush, commits))
    with pytest.raises(RuntimeError, match="worker lost"):
        digests.process_batch([s.pk for s in subs], "daily", B0)
    sent_first = {m.to[0] for m in mailoutbox}
    assert len(mailoutbox) == len(sent_first) == GROUP + 5
    assert DigestDelivery.objects.filter(state=DigestDelivery.State.SENT).count() == len(sent_first)
    assert len([c for c in commits if c]) == 2  # after GROUP e-mails, then the 5 before the failure
    monkeypatch.setattr(digests, "render_digest", real)
    for delivery_id, token in digests.recover_stale_claims(older_than=timedelta(0)):
        digests.deliver_one(delivery_id, token)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(s.email for s in subs)  # each reader once
    assert DigestDelivery.objects.filter(state=DigestDelivery.State.SENT).count() == len(subs)


def _counting(flush, calls: list):
    def counted(self):
        calls.append(bool(self.sent or self.skipped))
        return flush(self)

    return counted


def test_the_batches_of_a_run_load_the_period_once_and_see_a_report_published_between_them(monkeypatch, mailoutbox):
    """A worker keeps the period's reports (rendered) and its cities' peers from one batch to the
    next: the second batch of the run reads none of them again. A report published meanwhile
    changes the site's generation, and the next batch shows it."""
    grenoble = city("Grenoble-C", "FR", 158000)
    _reports(2, 0)
    subs = [
        subscriber(confirmed_at=T0 - timedelta(days=2), frequency="daily", themes=["energy-climate"], city=grenoble)
        for _ in range(4)
    ]
    read = []
    for batch in (subs[:2], subs[2:]):
        with CaptureQueriesContext(connection) as ctx:
            assert digests.process_batch([s.pk for s in batch], "daily", B0).sent == 2
        read.append([q["sql"] for q in ctx.captured_queries if "experiences_experiencepage" in q["sql"]])
    assert read[0] and not read[1], read[1]
    DigestDelivery.objects.all().delete()
    late = publish_experience(
        title="Report published between two batches",
        city=grenoble,
        themes=["energy-climate"],
        language="en",
        at=T0 - timedelta(hours=8),
    )
    assert late.pk
    mailoutbox.clear()
    digests.process_batch([s.pk for s in subs[2:]], "daily", B0)
    assert all("Report published between two batches" in m.body for m in mailoutbox), [m.body for m in mailoutbox]
    assert len(mailoutbox) == 2
