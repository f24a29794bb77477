"""French digests write the first of the month "1er décembre", like a French reader
expects, not "1 décembre" (issue #15); other days and English are unchanged."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from subscriptions import digests

from .helpers import subscriber

pytestmark = pytest.mark.django_db


def _digest(language: str, end: datetime):
    sub = subscriber(
        f"dates-{language}@example.org", language=language, frequency="weekly", confirmed_at=end - timedelta(days=30)
    )
    return digests.render_digest(digests.digest_for_period(sub, end - timedelta(days=7), end))


def test_the_french_digest_says_1er_decembre(demo):
    end = timezone.make_aware(datetime(2026, 12, 1, 9, 0))
    message = _digest("fr", end)
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "au 1er décembre 2026 09:00" in part and "Du 24 novembre 2026 09:00" in part
        assert "au 1 décembre" not in part


def test_english_and_other_days_are_unchanged(demo):
    end = timezone.make_aware(datetime(2026, 12, 1, 9, 0))
    assert "to 1 December 2026 09:00" in _digest("en", end).body
    end = timezone.make_aware(datetime(2026, 12, 2, 9, 0))
    assert "au 2 décembre 2026 09:00" in _digest("fr", end).body
