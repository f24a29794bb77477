"""A query's translations as pieces of each search backend's query (search/service.py calls these).

The original words keep the place they had; translations are added as alternatives
that weigh less:

- database backend (SQLite FTS5, PostgreSQL): each word becomes "the word's forms OR
  its translations" before it reaches SQL. SQL full-text scores cannot weight one
  alternative of a MATCH, so same-language hits keep their place through search's
  re-ranking, which rewards the query's own words in the title and summary and their
  translations at half that weight (search/ranking.py ``translated_credit``).
- OpenSearch/Elasticsearch: one more ``should`` clause, the words or their translations
  (phrases for multi-word translations, on the stemmed fields), with a lower boost.
  A document that has the original words matches both clauses and so ranks above a
  document that only has a translation, at equal relevance.

A translation of several words is searched as a phrase ("téléphérique": "cable car").
"""

from __future__ import annotations

from typing import Any

from .lexicon import WORD_RE, expand, fold, singular

TRANSLATION_BOOST = 0.5  # OpenSearch: a translated match counts half an original one
MAX_TRANSLATED_TERMS = 12  # words of a query that get translations: keeps a 32-word query's SQL small


def _plurals(word: str) -> list[str]:
    """The plural forms of a folded word, most likely first; the translation's language is not known, so
    both languages' rules: "city" -> "cities", "social" -> "sociaux"/"socials", "eau" -> "eaux"."""
    if len(word) < 3:
        return [word]
    if word.endswith(("s", "x", "z")):  # French plurals alike; English "bus", "tax": "buses", "taxes"
        return [word, word + "es"]
    if word.endswith("al"):
        return [word[:-2] + "aux", word + "s"]
    if word.endswith(("eau", "eu")):
        return [word + "x", word + "s"]
    if word.endswith("y") and word[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    return [word + "s"]


def _plural(word: str) -> str:
    return _plurals(word)[0]


def phrase_forms(words: list[str]) -> list[str]:
    """A translated expression in the singular and the plural, as a text may write it: the last word
    ("cable cars"), the head word ("cours d'école", "bornes de recharge"), both ends ("agents de santé
    communautaires") or every word in the plural ("logements sociaux", "pistes cyclables")."""
    forms = [words]
    forms += [[*words[:-1], p] for p in _plurals(words[-1])]
    forms += [[p, *words[1:]] for p in _plurals(words[0])]
    forms += [[_plurals(w)[min(i, len(_plurals(w)) - 1)] for w in words] for i in range(2)]
    if len(words) > 2:  # the head word and its adjective ("agents de santé communautaires")
        forms += [[_plural(words[0]), *words[1:-1], _plural(words[-1])]]
    return list(dict.fromkeys(" ".join(f) for f in forms))


def database_alternatives(text: str) -> list[Any]:
    """django-modelsearch query objects that match the translations of ``text`` (a word or a phrase)."""
    from modelsearch.query import Phrase, PlainText

    from cooperation_hub.text import variants

    out: list[Any] = []
    seen: set[str] = set()

    def add(query: Any, form: str) -> None:
        if form not in seen:
            seen.add(form)
            out.append(query)

    for alternative in expand([text]).get(text, []):
        folded = WORD_RE.findall(fold(alternative))
        if len(folded) == 1:
            # The same forms as a word typed in the query ("city": "cities"; "social": "sociaux").
            word = folded[0]
            for form in dict.fromkeys((word, singular(word), *_plurals(singular(word)), *variants(word))):
                add(PlainText(form), form)
        elif folded:
            for form in phrase_forms(folded):
                add(Phrase(form), form)
    return out


def with_translations(query: Any, text: str) -> Any:
    """``query`` (what ``text`` gives the database backend) or the translations of ``text``."""
    from modelsearch.query import Or

    alternatives = database_alternatives(text)
    if not alternatives:
        return query
    own = list(query.subqueries) if isinstance(query, Or) else [query]
    return Or(own + alternatives)


def whole_query_translations(query: Any, terms: list[str]) -> Any:
    """The database query of several words, or the translation of those words as one expression
    ("waste sorting": "tri des déchets", whose words do not translate one by one)."""
    return with_translations(query, " ".join(terms)) if len(terms) > 1 else query


MAX_EXPRESSION_WORDS = 4  # the longest expression of a query looked up as one ("îlot de chaleur urbain")


def segments(terms: list[str]) -> list[tuple[str, list[str]]]:
    """The query's words cut into the lexicon's expressions, longest first, each with its translations:
    ["ilot", "chaleur", "urbain"] gives [("ilot chaleur urbain", ["urban heat island"])], and
    ["ecoles", "wuhan"] gives [("ecoles", ["school"]), ("wuhan", [])]. Words after the first
    ``MAX_TRANSLATED_TERMS`` come alone, untranslated."""
    out: list[tuple[str, list[str]]] = []
    start = 0
    while start < min(len(terms), MAX_TRANSLATED_TERMS):
        for size in range(min(MAX_EXPRESSION_WORDS, len(terms) - start), 0, -1):
            span = " ".join(terms[start : start + size])
            alternatives = expand([span]).get(span, [])
            if alternatives or size == 1:
                out.append((span, alternatives))
                start += size
                break
    return out + [(term, []) for term in terms[start:]]


def engine_alternatives(terms: list[str], fields: list[str]) -> list[dict[str, Any]]:
    """Extra ``should`` clauses for the engine's word query ([] when nothing translates).

    ``terms``: the query's words; ``fields``: stemmed fields of both languages. One clause
    asks the same share of the query's expressions as the original query asks of its words
    ("2<75%"), each satisfied by its own words or by one of its translations (an expression
    of several words that the lexicon knows, "îlot de chaleur", counts as one); another, the
    translation of all the words as one expression. Both weigh ``TRANSLATION_BOOST``.
    """
    from cooperation_hub.text import STOPWORDS

    words, terms = terms, [t for t in terms if t not in STOPWORDS] or terms  # as the database backend does
    pieces = segments(terms)
    clauses: list[dict[str, Any]] = []
    if any(alternatives for _span, alternatives in pieces):
        per_piece = []
        for span, alternatives in pieces:
            piece = _engine_piece(span, alternatives, fields)
            if translated_word_by_word(span, alternatives):
                each = [_engine_piece(word, expand([word]).get(word, []), fields) for word in span.split()]
                piece = {"dis_max": {"queries": [*piece["dis_max"]["queries"], {"bool": {"must": each}}]}}
            per_piece.append(piece)
        clauses.append({"bool": {"should": per_piece, "minimum_should_match": "2<75%", "boost": TRANSLATION_BOOST}})
    if len(words) > 1:  # the whole query, small words included ("journée sans voiture": "car-free day")
        clauses += engine_phrase_alternatives(" ".join(words), fields)
    return clauses


def translated_word_by_word(span: str, alternatives: list[str]) -> bool:
    """Whether the words of an expression may also be translated one by one: when its translation
    is made of theirs. "énergie climat" is "energy & climate" to the lexicon, and a report on
    energy and climate is found; "cable car" is "téléphérique", and "car" alone ("voiture") is not."""
    words = span.split()
    if len(words) < 2 or not alternatives:
        return False
    translated = {w for alternative in alternatives for w in WORD_RE.findall(fold(alternative))}
    return all(any(set(WORD_RE.findall(fold(t))) & translated for t in expand([word]).get(word, [])) for word in words)


def _engine_piece(span: str, alternatives: list[str], fields: list[str]) -> dict[str, Any]:
    """One piece of the query: its own words, or one of its translations as a phrase."""
    # A word the analyzer drops (a stopword) matches everything, as in the original query.
    queries: list[dict[str, Any]] = [
        {"multi_match": {"query": span, "fields": fields, "operator": "and", "zero_terms_query": "all"}}
    ]
    queries += [
        {"multi_match": {"query": alternative, "type": "phrase", "fields": fields}} for alternative in alternatives
    ]
    return {"dis_max": {"queries": queries}}


def with_engine_translations(clause: dict[str, Any], phrase: str, fields: list[str]) -> dict[str, Any]:
    """An engine phrase ``clause`` or the translations of its ``phrase``."""
    alternatives = engine_phrase_alternatives(phrase, fields)
    if not alternatives:
        return clause
    return {"bool": {"should": [clause, *alternatives], "minimum_should_match": 1}}


def engine_phrase_alternatives(phrase: str, fields: list[str]) -> list[dict[str, Any]]:
    """Phrase queries for the translations of an expression ("qualité de l'air": "air quality")."""
    return [
        {"multi_match": {"query": alternative, "type": "phrase", "fields": fields, "boost": TRANSLATION_BOOST}}
        for alternative in expand([phrase]).get(phrase, [])
    ]


def also_searched(terms: list[str], phrases: list[str]) -> list[str]:
    """The translations a query was also searched for, as the search page names them
    ("téléphérique": ["cable car"]): those of its quoted phrases, of its words, and of its
    words as one expression, as both backends add them. [] when nothing translates."""
    from cooperation_hub.text import STOPWORDS

    significant = [t for t in terms if t not in STOPWORDS] or terms
    # The words as the backends translate them: an expression the lexicon knows as one ("cable car":
    # "téléphérique", not "voiture" for "car").
    wanted = list(phrases)
    if len(terms) > 1 and not phrases:
        wanted.append(" ".join(terms))
    found = [alternatives for _span, alternatives in segments(significant)] + list(expand(wanted).values())
    out: dict[str, str] = {}
    for alternatives in found:
        for alternative in alternatives:
            out.setdefault(fold(alternative), alternative)
    return list(out.values())
