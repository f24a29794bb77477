"""SQLite's planner statistics (cooperation_hub/planner.py): written by every migrate, so
that the lists read the newest reports from the date index rather than sorting them all."""

import pytest
from django.db import connection

from cooperation_hub.planner import refresh_statistics

pytestmark = pytest.mark.django_db


def _statistics() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'wagtailcore_page'")
        return dict(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its own statistics")
def test_the_migrated_database_has_statistics_and_they_can_be_refreshed(demo):
    assert _statistics()  # the test database was migrated: post_migrate ran ANALYZE
    assert refresh_statistics() is True
    stats = _statistics()
    # One row per index of the page table, starting with the number of pages analysed.
    locale_index = next(stat for idx, stat in stats.items() if "locale_id" in idx and "translation_key" not in idx)
    from wagtail.models import Page

    assert int(locale_index.split()[0]) == Page.objects.count()
