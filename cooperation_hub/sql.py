"""A list of ids as one SQL parameter, for ``pk__in=`` (the search's candidates, the list's hits of ``q``).

Why: ``pk__in=[…]`` gives a statement with one placeholder per id. Django prepares each
one (~1 ms of Python per 100 ids, and the experience list's facets repeat the 1,000 hits
of a ``q`` in nine subqueries), SQLite caps the number of parameters of a statement,
and the statement's text changes with the number of hits. As one JSON array (SQLite's
``json_each``) or one array (PostgreSQL's ``unnest``), it is one parameter, whatever the
number of ids. Below every app (experiences and search both use it).
"""

import json
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL


def ids_subquery(ids: list[Any]) -> Any:
    """What to give ``pk__in=`` (integer primary keys): a one-parameter subquery of ``ids``."""
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return list(ids)
