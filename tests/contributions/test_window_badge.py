"""A window that closes at midnight names its last whole day (issue #15: the demo's open
consultation read "open until Dec. 31, 2026, midnight" while it closed as Dec. 31 began)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from contributions import rules

from .conftest import make_consultation

PARIS = ZoneInfo("Europe/Paris")


def test_the_last_open_day_of_a_window_closing_at_midnight():
    assert rules.last_open_day(datetime(2026, 12, 31, tzinfo=PARIS), "Europe/Paris") == date(2026, 12, 30)
    assert rules.last_open_day(datetime(2026, 12, 31, 18, 0, tzinfo=PARIS), "Europe/Paris") is None
    _, closes = rules.window_instants(date(2026, 12, 1), date(2026, 12, 30), "Europe/Paris")
    assert rules.last_open_day(closes, "Europe/Paris") == date(2026, 12, 30)


@pytest.mark.django_db
def test_the_consultation_says_until_which_day_it_is_open(client, demo):
    tomorrow = timezone.localdate(timezone=PARIS) + timedelta(days=10)
    closes = datetime.combine(tomorrow, datetime.min.time(), tzinfo=PARIS)
    page = make_consultation(closes_at=closes)
    last = tomorrow - timedelta(days=1)
    months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    html = client.get(page.url).content.decode()
    day = "1er" if last.day == 1 else last.day  # French writes the first of the month "1er"
    assert f"ouverte jusqu'au {day} {months[last.month - 1]} {last.year} inclus" in html
    assert "00:00" not in html.split('class="meta"', 1)[1].split("</p>", 1)[0]


@pytest.mark.django_db
def test_a_french_date_on_the_first_of_the_month_reads_1er(client, demo):
    """Issue #15: "ouverte jusqu'au 1 décembre" read wrong; French writes "1er décembre"."""
    closes = datetime(2036, 12, 2, tzinfo=PARIS)  # open until 1 December inclusive
    page = make_consultation(closes_at=closes)
    badge = client.get(page.url).content.decode().split('class="meta"', 1)[1].split("</p>", 1)[0]
    assert "1er décembre 2036" in badge and "1 décembre" not in badge
