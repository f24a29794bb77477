"""The one parser of what people type into a search box, and of the numbers and lists of filters.

Every free-text entry point (the search page, /api/search/, autocomplete, the
experience list, its map and feeds, /api/v2/pages/?search=) turns the raw text
into a ``ParsedQuery`` here before any backend sees it. A backend then gets
only words (letters and digits) and quoted phrases made of words: no quote,
bracket, ``*``, ``^``, ``:``, ``-`` or NEAR/AND/OR/NOT operator of SQLite FTS5,
PostgreSQL tsquery or OpenSearch query syntax can reach its parser, and the
number of words is capped (SQLite's FTS5 parser overflows at about a hundred).
Too much text is a ``QueryError`` with a message for the reader: a 400, never
a 500.

It lives in the project package, below every app, because the experience list (``experiences``)
and the search (``search``) both parse with it; ``search/query.py`` re-exports it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .text import STOPWORDS, WORD_RE, words

MAX_QUERY_LENGTH = 500  # characters of a query
MAX_QUERY_WORDS = 32  # words of a query, phrase words included
MAX_FILTER_VALUES = 20  # values of one filter (theme=a,b,c…)
MAX_NUMBER_DIGITS = 9  # digits of a whole number in a parameter

# A quoted phrase; an unbalanced quote is dropped with the other syntax characters.
PHRASE_RE = re.compile(r"[\"“”«»]([^\"“”«»]+)[\"“”«»]")
# What a phrase keeps for the search engines: words, spaces, apostrophes and hyphens
# (so that the engines' French elision still sees "l'école").
PHRASE_JUNK_RE = re.compile(r"[^\w\s'’-]|_", re.UNICODE)
ASCII_DIGITS_RE = re.compile(r"[0-9]+")
# Operators of the backends' query languages, typed in capitals: dropped, not searched for.
OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})


class QueryError(ValueError):
    """Text or a parameter the search cannot take; ``message`` is for the reader (translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ParsedQuery:
    """A reader's query as safe pieces: quoted phrases and free words.

    ``raw`` is the text as typed (control characters removed), to show back.
    ``phrases`` hold only words, spaces, apostrophes and hyphens; ``terms``
    are folded words (letters and digits only); ``words`` are the same words
    as typed (case and accents kept), for backends that analyse text themselves.
    """

    raw: str
    phrases: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.phrases and not self.terms

    @property
    def free_text(self) -> str:
        return " ".join(self.terms)

    @property
    def all_words(self) -> list[str]:
        """Every word of the query as typed, phrase words included, in order."""
        return [w for p in self.phrases for w in WORD_RE.findall(p)] + self.words

    def highlight_terms(self) -> list[str]:
        """Folded words to highlight: every word and every phrase word, stopwords excepted."""
        found = list(self.terms)
        for phrase in self.phrases:
            found += words(phrase)
        return [w for w in dict.fromkeys(found) if w not in STOPWORDS or len(found) == 1]

    def backend_query(self) -> Any:
        """What Wagtail's ``.search()`` gets: the phrases and every word (AND), or "" when empty.

        Plain words go as one string (django-modelsearch quotes each word as
        an FTS5 string, and they can hold no quote); phrases as ``Phrase``.
        """
        from modelsearch.query import And, Phrase, PlainText

        parts: list[Any] = [Phrase(" ".join(WORD_RE.findall(p))) for p in self.phrases]
        if self.words:
            parts.append(PlainText(" ".join(self.words), operator="and"))
        if not parts:
            return ""
        if len(parts) == 1 and isinstance(parts[0], PlainText):
            return parts[0].query_string
        return parts[0] if len(parts) == 1 else And(parts)


def clean_text(raw: Any) -> str:
    """The text without control characters (NUL included) and surrounding spaces."""
    text = "" if raw is None else str(raw)
    # Cc: C0/C1 controls; Cf: invisible format characters (bidi overrides, zero-width); Cs: lone surrogates.
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs") else c for c in text).strip()


def parse_query(raw: Any) -> ParsedQuery:
    """Split what was typed into safe phrases and words, or raise QueryError when there is too much of it."""
    text = clean_text(raw)
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(_("Your search is too long: %(limit)d characters at most.") % {"limit": MAX_QUERY_LENGTH})
    phrases = []
    for found in PHRASE_RE.findall(text):
        phrase = " ".join(PHRASE_JUNK_RE.sub(" ", found).split())
        if words(phrase):
            phrases.append(phrase)
    rest = PHRASE_RE.sub(" ", text)
    typed = [w for w in WORD_RE.findall(rest) if w not in OPERATOR_WORDS]
    count = len(typed) + sum(len(WORD_RE.findall(p)) for p in phrases)
    if count > MAX_QUERY_WORDS:
        raise QueryError(_("Your search has too many words: %(limit)d at most.") % {"limit": MAX_QUERY_WORDS})
    # Folded, then split again: folding may break a character into pieces ("¼" -> "1⁄4").
    return ParsedQuery(raw=text, phrases=phrases, terms=words(" ".join(typed)), words=typed)


def safe_search_text(raw: Any) -> str:
    """The words of a query joined by spaces (phrases flattened), for a backend that takes a plain string."""
    return " ".join(parse_query(raw).all_words)


def parse_int(raw: Any, max_digits: int = MAX_NUMBER_DIGITS) -> int | None:
    """A whole number written in ASCII digits (no sign, at most ``max_digits``), else None.

    ``str.isdigit`` accepts "²" and other digits ``int`` refuses, and ``int``
    of 400 digits overflows SQLite's 64-bit integers: neither reaches a query.
    """
    text = str(raw).strip() if raw is not None else ""
    if not ASCII_DIGITS_RE.fullmatch(text) or len(text.lstrip("0")) > max_digits:
        return None
    return int(text)


def page_number(raw: str | None) -> int:
    """The page a ``?page=`` asks for: its number, or 1 for anything else (none, a word, 0, a
    negative number, digits too many to be one). A number past the last page is left to Django's
    paginator, which shows the last page."""
    return parse_int(raw) or 1


def check_value_count(values: list[Any], limit: int = MAX_FILTER_VALUES) -> None:
    """Raise QueryError when a filter lists more values than a query may combine."""
    if len(values) > limit:
        raise QueryError(_("Too many values: %(limit)d at most.") % {"limit": limit})
