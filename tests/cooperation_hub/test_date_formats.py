"""How dates read: in English as the site's own sentences write them, day first (cooperation_hub/formats)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, translation

PARIS = ZoneInfo("Europe/Paris")


def test_english_dates_read_day_month_year_as_the_site_writes_them():
    """Walked in English: "Jan. 1, 2027" on a badge, "Nov. 28, 2026" on a contribution, "23 November
    2026" in a synthesis, "12/02/2026" in the admin. One format, day first, the month named."""
    moment = datetime(2026, 12, 2, 5, 23, tzinfo=PARIS)
    with translation.override("en"):
        assert formats.date_format(moment.date()) == "2 December 2026"
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "2 Dec 2026"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "2 Dec 2026, 05:23"
    with translation.override("fr"):
        assert formats.date_format(moment.date()) == "2 décembre 2026"
