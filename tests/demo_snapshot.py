"""The demo's rows, kept in memory right after the session's first demo load, and written back
after a transactional test's flush emptied the tables: a second or two instead of running
``load_demo`` again (pages added one by one through Wagtail, revisions, search indexing).

Table by table, so that it works inside a test's transaction as well as outside one: COPY on
PostgreSQL, plain SELECT and INSERT on SQLite, where the database search backend's full-text
table is emptied and filled again by its triggers on the index entries' table. The rows come
back with the primary keys they had: PostgreSQL's sequences never go back, so later inserts do
not collide, and the content types the process has cached keep their ids (clearing that cache
would make the next serialized rollback's signal handlers create content types before the
rollback writes its own). Engine documents are repaired afterwards by the caller
(tests/engine_indexes.py)."""

from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction

# Not data: Django's record of applied migrations (a flush leaves it alone) and SQLite's own.
_SKIPPED = {"django_migrations", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: Any  # COPY text (bytes) on PostgreSQL, a tuple of row tuples on SQLite
    empty: bool


def _tables() -> tuple[list[str], set[str]]:
    """Every table of the database and, on SQLite, which are full-text (virtual) tables; the
    hidden tables a virtual table keeps its index in are left out (written through it)."""
    names = [name for name in connection.introspection.table_names(include_views=False) if name not in _SKIPPED]
    virtual: set[str] = set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
            virtual = {row[0] for row in cursor.fetchall()}
        names = [n for n in names if not any(n.startswith(f"{v}_") for v in virtual)]
    return names, virtual


def take() -> tuple[Table, ...]:
    """Every row of every table, as the database holds it now."""
    names, virtual = _tables()
    quote = connection.ops.quote_name
    tables = []
    names = [name for name in names if name not in virtual]  # written by triggers
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SELECT * FROM {quote(name)} WHERE 1 = 0")  # noqa: S608 - names from the schema
            columns = tuple(col[0] for col in cursor.description)
            if connection.vendor == "postgresql":
                listed = ", ".join(quote(c) for c in columns)
                with cursor.cursor.copy(f"COPY {quote(name)} ({listed}) TO STDOUT") as copy:
                    data = b"".join(bytes(chunk) for chunk in copy)
                tables.append(Table(name, columns, data, not data))
                continue
            # `+column` (a no-op) has no declared type: SQLite's values come back as stored,
            # not through the converters Django registers (dates, decimals, booleans).
            selected = ", ".join(f"+{quote(c)}" for c in columns)
            cursor.execute(f"SELECT {selected} FROM {quote(name)}")  # noqa: S608 - names from the schema
            rows = tuple(cursor.fetchall())
            tables.append(Table(name, columns, rows, not rows))
    return tuple(tables)


def restore(snapshot: tuple[Table, ...]) -> None:
    """Empty every table, then write the snapshot's rows back, in one transaction (foreign keys
    are deferred to its end, so the order of the tables does not matter)."""
    quote = connection.ops.quote_name
    names, _ = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # After a flush only the few tables a serialized rollback filled hold rows: emptied
            # with DELETE, far quicker on small tables than a TRUNCATE of all ~150 tables.
            cursor.execute(
                " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT FROM {quote(name)})" for name in names),  # noqa: S608
                names,
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DELETE FROM {quote(name)}")  # noqa: S608 - names from the schema
        else:
            for statement in connection.ops.sql_flush(no_style(), names, allow_cascade=True):
                cursor.execute(statement)
        for table in snapshot:
            if table.empty:
                continue
            listed = ", ".join(quote(c) for c in table.columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table.name)} ({listed}) FROM STDIN") as copy:
                    copy.write(table.rows)
                continue
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {quote(table.name)} ({listed}) VALUES ({marks})",  # noqa: S608 - names from the schema
                table.rows,
            )
