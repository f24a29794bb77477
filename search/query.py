"""The search's view of the query parser, which lives in ``cooperation_hub/query.py``.

The parser moved below every app (issue #18) because the experience list parses ``q`` with it
too, and ``experiences`` must not import ``search``; the names stay importable from here.
"""

from cooperation_hub.query import (  # noqa: F401
    ASCII_DIGITS_RE,
    MAX_FILTER_VALUES,
    MAX_NUMBER_DIGITS,
    MAX_QUERY_LENGTH,
    MAX_QUERY_WORDS,
    OPERATOR_WORDS,
    PHRASE_JUNK_RE,
    PHRASE_RE,
    ParsedQuery,
    QueryError,
    check_value_count,
    clean_text,
    parse_int,
    parse_query,
    safe_search_text,
)
