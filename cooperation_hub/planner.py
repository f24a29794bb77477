"""The embedded database's query planner statistics (SQLite's ``ANALYZE``).

Without statistics SQLite assumes that an equality on any indexed column is selective,
so "the six newest reports of this language" reads every report of the language through
the locale index and sorts them (70 ms at 10,000 reports) rather than walking the
publication-date index and stopping at six (under a millisecond). ``ANALYZE`` records
that a language holds half the pages; the planner then picks the date's index.

The statistics are refreshed after every ``migrate`` (and by the benchmarks after
their bulk loads); they describe proportions (two languages, a few hundred cities),
which a growing network keeps, so refreshing them now and then is enough. PostgreSQL keeps its own (autovacuum): nothing to do there.
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Run ``ANALYZE`` on a SQLite database; True if it ran (False on any other engine).

    A fraction of a second at 10,000 reports; it reads the tables and writes
    ``sqlite_stat1``, so it belongs after bulk writes, not in a request."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True


def refresh_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    try:
        refresh_statistics(using)
    except Exception:  # statistics only guide the planner: a failure must not fail a migration
        logger.warning("could not refresh the planner statistics", exc_info=True)
