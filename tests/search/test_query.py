"""The one parser of search text (search/query.py): whatever is typed, a backend gets only words and phrases."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cooperation_hub.text import WORD_RE
from search.query import (
    MAX_QUERY_LENGTH,
    MAX_QUERY_WORDS,
    QueryError,
    check_value_count,
    parse_int,
    parse_query,
)
from tests.hostile import HOSTILE, any_hostile_text

# Syntax of SQLite FTS5, PostgreSQL tsquery and OpenSearch query strings.
SYNTAX = [
    '"',
    'a"b',
    '"unbalanced phrase',
    'x "" y',
    "NEAR(",
    "NEAR(a b, 3)",
    "*",
    "bus*",
    "-",
    "-bus",
    ":",
    "title:bus",
    "{title body}: bus",
    "^",
    "^bus",
    "(",
    ")",
    "(a OR b) AND NOT c",
    "a & b | !c",
    "a <-> b",
    "bus~2",
    "title:(a b)",
    "[1 TO 5]",
    "\\",
    "'",
    "''",
    "%",
    "_",
    "\x00",
    "\x01bus",
    "\u202ebus",
    "bus\ufeff",
    "«",
    "« a »",
    "“smart city”",
]


def _backend_words(parsed) -> list[str]:
    return parsed.terms + parsed.words + [w for p in parsed.phrases for w in p.split()]


@pytest.mark.parametrize("raw", SYNTAX)
def test_query_syntax_never_reaches_a_backend(raw):
    parsed = parse_query(raw)
    for word in parsed.terms + parsed.words:
        assert WORD_RE.fullmatch(word), (raw, word)
    for phrase in parsed.phrases:
        assert not set(phrase) & set('"*:^()[]{}\\&|!<>~%\x00'), (raw, phrase)
    assert not {"AND", "OR", "NOT", "NEAR"} & set(parsed.words)
    assert "\x00" not in parsed.raw


def test_words_phrases_and_accents_are_kept():
    parsed = parse_query('"smart city" Béthune écoles')
    assert parsed.phrases == ["smart city"] and parsed.terms == ["bethune", "ecoles"]
    assert parsed.words == ["Béthune", "écoles"]
    assert parse_query("l'école “smart city”").phrases == ["smart city"]
    # An unbalanced quote is dropped: the words around it are searched.
    assert parse_query('a"b').terms == ["a", "b"] and parse_query('"').is_empty


@translation.override("en")
def test_too_many_words_or_too_much_text_is_a_clear_error():
    parse_query(" ".join(["mot"] * MAX_QUERY_WORDS))
    with pytest.raises(QueryError, match="too many words: 32 at most"):
        parse_query(" ".join(["mot"] * 100))
    with pytest.raises(QueryError, match="too many words"):
        parse_query('"' + " ".join(["mot"] * 20) + '" ' + " ".join(["mot"] * 20))
    with pytest.raises(QueryError, match="too long: 500 characters at most"):
        parse_query("a" * (MAX_QUERY_LENGTH + 1))


def test_the_error_is_translated():
    with translation.override("fr"), pytest.raises(QueryError, match="trop de mots"):
        parse_query(" ".join(["mot"] * 100))


def test_numbers_are_ascii_digits_that_fit():
    assert parse_int("7") == 7 and parse_int(" 017 ", max_digits=2) == 17
    for bad in ["9" * 400, "²", "١", "-1", "1.5", "1e9", "", None, "abc", "0x10", "9" * 10]:
        assert parse_int(bad) is None, bad


@translation.override("en")
def test_a_filter_lists_twenty_values_at_most():
    check_value_count(["a"] * 20)
    with pytest.raises(QueryError, match="20 at most"):
        check_value_count(["a"] * 21)


@given(
    raw=st.one_of(
        any_hostile_text,
        st.sampled_from(SYNTAX),
        st.lists(st.sampled_from(SYNTAX + ["bus", "école"]), max_size=40).map(" ".join),
    )
)
@HOSTILE
def test_any_text_parses_into_words_or_a_clear_error(raw):
    try:
        parsed = parse_query(raw)
    except QueryError as exc:
        assert exc.message
        return
    assert len(_backend_words(parsed)) <= 2 * MAX_QUERY_WORDS
    for word in parsed.terms + parsed.words:
        assert WORD_RE.fullmatch(word)
