"""The bilingual (French <-> English) domain lexicon and ``expand``, the lookup search uses.

Where the pairs come from, in this order (README: "Cross-language search"):

1. ``data/core.tsv``: written by the team, versioned with the code;
2. the bilingual labels of experiences/vocabulary.py (themes, SDGs, actors);
3. ``data/freedict.tsv``: FreeDict words kept by ``manage.py enrich_lexicon`` because our
   corpus or vocabulary uses them (GPL-2+, see lexicon/README.md);
4. ``LexiconEntry`` rows added or corrected by administrators in the Wagtail admin: an
   enabled row adds a pair, a disabled one removes that pair whatever its source.

Lookups compare *keys*: folded words (no case, no accents), short grammatical words
dropped, a final plural ``s``/``x`` removed, so "Écoles" finds "école" and "l'air" finds
"air". The key is the lexicon's own (it must not depend on the search app, which
depends on it); it only has to be the same on both sides of a lookup.

The administrators' rows are read from the database once per *generation* and process:
saving or deleting a row bumps the generation in the shared cache, so every process
picks the change up at its next search, without a redeploy.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cooperation_hub.request_memo import forget, kept_within, once_per_request

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
CORE_FILE = DATA / "core.tsv"
FREEDICT_FILE = DATA / "freedict.tsv"
LANGUAGES = ("fr", "en")
MAX_ALTERNATIVES = 4  # translations per query term: enough for synonyms, not a flood of OR terms
GENERATION_KEY = "lexicon:generation"
# A reader who asked for the words as typed ("?translate=0"): no translation in this request only.
_switched_off: ContextVar[bool] = ContextVar("lexicon_switched_off", default=False)

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
# Words that carry no meaning in a key: "qualité de l'air" and "qualité air" are one key.
_KEY_STOPWORDS = frozenset(
    "a à au aux d de des du en et l la le les un une pour sur par an and for in of on the to with by".split()
)


def fold(text: str) -> str:
    """Lower-case, no accents: "Téléphérique" -> "telepherique", "œuvre" -> "oeuvre"."""
    text = (text or "").replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def singular(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The lookup key of a word or an expression ("" when it holds no meaningful word)."""
    found = WORD_RE.findall(fold(text))
    meaningful = [w for w in found if w not in _KEY_STOPWORDS] or found
    return " ".join(singular(w) for w in meaningful)


@dataclass(frozen=True)
class Pair:
    fr: str
    en: str
    source: str = "core"  # core, vocabulary, freedict, admin

    def text(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


def read_tsv(path: Path, source: str) -> list[Pair]:
    """Pairs of a ``fr<TAB>en`` file; "#" starts a comment line."""
    if not path.exists():
        return []
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValueError(f"{path.name}:{number}: expected 'french<TAB>english', got {line!r}")
        pairs.append(Pair(parts[0], parts[1], source))
    return pairs


def vocabulary_pairs() -> list[Pair]:
    """The themes', SDGs' and actors' labels as pairs; a theme's parts too ("Énergie, climat": "Energy & climate")."""
    from experiences import vocabulary

    pairs = []
    for term in (*vocabulary.THEMES, *vocabulary.SDGS, *vocabulary.ACTORS):
        fr = " ".join(term.fr.replace("«", "").replace("»", "").split())
        pairs.append(Pair(fr, term.en, "vocabulary"))
    for term in vocabulary.THEMES:
        # Theme labels list their parts in the same order: "A, B" in French, "A & B" in English.
        fr_parts, en_parts = term.fr.split(","), term.en.split("&")
        if len(fr_parts) == len(en_parts) > 1:
            pairs += [Pair(f.strip(), e.strip(), "vocabulary") for f, e in zip(fr_parts, en_parts, strict=True)]
    # "Habitat & environment" / "Habitat, environnement": a part spelt alike in both needs no pair.
    return [p for p in pairs if key(p.fr) != key(p.en)]


@lru_cache(maxsize=1)
def file_pairs() -> tuple[Pair, ...]:
    """Every pair that comes with the code: core, vocabulary, FreeDict (in that order of preference)."""
    return (*read_tsv(CORE_FILE, "core"), *vocabulary_pairs(), *read_tsv(FREEDICT_FILE, "freedict"))


# Concepts too common in this network to say that two reports are alike ("city", "project"...).
GENERIC_CONCEPTS = frozenset(
    key(w)
    for w in (
        "city,town,municipality,project,resident,inhabitant,citizen,partner,partnership,exchange,report,study,"
        "network,user,neighbourhood,neighborhood,district,data,local authority,local government,town hall,"
        "city hall,mayor,community,public service,territory,strategy,overview,event,sharing,care"
    ).split(",")
)
MAX_CONCEPT_WORDS = 5


@dataclass
class Lexicon:
    """Pairs indexed by key, per language of the looked-up side.

    A *concept* is the key of an English side: an English expression is its own concept, a French
    one stands for the English sides of its pairs ("téléphérique": cable car, gondola lift...),
    so that two texts in different languages share the concepts they both name.
    """

    pairs: list[Pair] = field(default_factory=list)
    index: dict[str, dict[str, list[str]]] = field(default_factory=lambda: {lang: {} for lang in LANGUAGES})
    concept_of: dict[str, dict[str, set[str]]] = field(default_factory=lambda: {lang: {} for lang in LANGUAGES})
    labels: dict[str, Pair] = field(default_factory=dict)  # concept -> the first pair that names it
    _concepts_cache: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    # Both languages' expressions in one table, and the lengths (in words) that occur in it:
    # worked out at the first text read (peer matching reads 50,000 of them at 100,000 reports).
    _named: dict[str, frozenset[str]] | None = field(default=None, repr=False)
    _sizes: tuple[int, ...] = field(default=(), repr=False)

    @classmethod
    def build(cls, pairs: Iterable[Pair], removed: Iterable[tuple[str, str]] = ()) -> Lexicon:
        """A lexicon of ``pairs`` less the ``removed`` (fr, en) pairs (compared by key)."""
        gone = {(key(fr), key(en)) for fr, en in removed}
        lexicon, seen = cls(), set()
        for pair in pairs:
            ids = (key(pair.fr), key(pair.en))
            if not all(ids) or ids[0] == ids[1] or ids in gone or ids in seen:
                continue
            seen.add(ids)
            lexicon.pairs.append(pair)
            lexicon.index["fr"].setdefault(ids[0], []).append(pair.en)
            lexicon.index["en"].setdefault(ids[1], []).append(pair.fr)
            if ids[1] not in GENERIC_CONCEPTS:
                lexicon.concept_of["fr"].setdefault(ids[0], set()).add(ids[1])
                lexicon.concept_of["en"].setdefault(ids[1], {ids[1]})
                lexicon.labels.setdefault(ids[1], pair)
        return lexicon

    def concepts(self, text: str) -> set[str]:
        """The concepts that ``text`` (in either language) names, by its words and expressions."""
        cached = self._concepts_cache.get(text)
        if cached is None:
            if len(self._concepts_cache) > 50_000:  # peer matching reads every report: keep it bounded
                self._concepts_cache.clear()
            cached = self._concepts_cache[text] = frozenset(self._concepts(text))
        return set(cached)

    def _expressions(self) -> tuple[dict[str, frozenset[str]], tuple[int, ...]]:
        if self._named is None:
            en, fr = self.concept_of["en"], self.concept_of["fr"]
            self._named = {gram: frozenset(en.get(gram, set()) | fr.get(gram, set())) for gram in {*en, *fr}}
            sizes = {gram.count(" ") + 1 for gram in self._named}
            self._sizes = tuple(sorted((n for n in sizes if n <= MAX_CONCEPT_WORDS), reverse=True))
        return self._named, self._sizes

    def _concepts(self, text: str) -> set[str]:
        named, sizes = self._expressions()
        found = WORD_RE.findall(fold(text))
        meaningful = [singular(w) for w in found if w not in _KEY_STOPWORDS]
        out: set[str] = set()
        start, count = 0, len(meaningful)
        while start < count:  # the longest expression first: "cable cars" is not "cars"
            for size in sizes:  # only the lengths some expression has
                if size > count - start:
                    continue
                concepts = named.get(" ".join(meaningful[start : start + size]))
                if concepts:
                    out |= concepts
                    start += size
                    break
            else:
                start += 1
        return out

    def concept_label(self, concept: str, language: str) -> str:
        """How a concept reads in ``language`` ("cable car" in French: "téléphérique")."""
        pair = self.labels.get(concept)
        return pair.text(language) if pair else concept

    def translations(self, text: str, language: str | None = None) -> list[str]:
        """What ``text`` (a word or an expression) translates to, from ``language`` or from either."""
        k = key(text)
        if not k:
            return []
        found: list[str] = []
        for lang in (language,) if language in LANGUAGES else LANGUAGES:
            found += self.index[lang].get(k, [])
        out: dict[str, str] = {}
        for alternative in found:  # the first spelling of each key, in order of preference
            out.setdefault(key(alternative), alternative)
        out.pop(k, None)
        return list(out.values())[:MAX_ALTERNATIVES]

    def completions(self, prefix: str, limit: int = 3) -> list[str]:
        """Translations of the words or expressions that start with ``prefix`` (what a person is
        typing: "téléph" gives "cable car"), shortest entries first, at most ``limit``."""
        k = key(prefix)
        if len(k) < 3:
            return []
        starting = sorted(
            (len(entry), entry, lang) for lang in LANGUAGES for entry in self.index[lang] if entry.startswith(k)
        )
        out: dict[str, str] = {}
        for _length, entry, lang in starting:
            for alternative in self.index[lang][entry]:
                out.setdefault(key(alternative), alternative)
            if len(out) >= limit:
                break
        return list(out.values())[:limit]


def concepts(text: str) -> set[str]:
    """``Lexicon.concepts`` of the lexicon in force (comparable projects, peer matching)."""
    return current().concepts(text)


def concept_label(concept: str, language: str) -> str:
    return current().concept_label(concept, language)


def concept_labels(concepts: Iterable[str], language: str) -> list[str]:
    """How ``concepts`` read in ``language``, each label once ("child" and "children" both read "enfant")."""
    in_force = current()
    return list(dict.fromkeys(in_force.concept_label(c, language) for c in concepts))


def translate(text: str, source: str, target: str) -> str:
    """``text``, written in ``source``, as a reader of ``target`` reads it (a tag's name on a peers
    page): the lexicon's first translation of the whole expression ("jardin partagé" into English:
    "community garden"), or the text as written when it has none (a word of both languages, a name)."""
    found = current().translations(text, source) if source != target else []
    return found[0] if found else text


def completions(prefix: str, limit: int = 3) -> list[str]:
    """``Lexicon.completions`` of the lexicon in force ([] while translation is switched off)."""
    return current().completions(prefix, limit) if expansion_enabled() else []


def expand_with(lexicon: Lexicon, terms: Iterable[str], language: str | None = None) -> dict[str, list[str]]:
    """Pure: each term (a word or a phrase) with its translations in ``lexicon`` ([] when none)."""
    return {term: lexicon.translations(term, language) for term in dict.fromkeys(terms)}


def expand(terms: Iterable[str], language: str | None = None) -> dict[str, list[str]]:
    """Each term (a word or a phrase) with its translations ([] when none), best first.

    ``language``: the language the terms are written in ("fr" or "en"), or None when
    it is not known (a search box: a French reader may type English), to look both ways.
    Nothing is translated while the setting ``LEXICON_EXPANSION`` is False (default True).
    """
    if not expansion_enabled():
        return {term: [] for term in dict.fromkeys(terms)}
    return expand_with(current(), terms, language)


def expansion_enabled() -> bool:
    """Whether queries are translated now: the setting ``LEXICON_EXPANSION`` and the reader's choice."""
    from django.conf import settings

    return getattr(settings, "LEXICON_EXPANSION", True) and not _switched_off.get()


@contextmanager
def untranslated() -> Iterator[None]:
    """Within this block, ``expand`` translates nothing (a reader's "search only the words as typed")."""
    token = _switched_off.set(True)
    try:
        yield
    finally:
        _switched_off.reset(token)


# --- the administrators' pairs, per generation ----------------------------------------------------

_lock = threading.Lock()
_loaded: tuple[str | None, Lexicon] | None = None
MEMO_KEY = "lexicon"
GENERATION_MEMO_KEY = "lexicon:generation"


@contextmanager
def held() -> Iterator[Lexicon]:
    """Within: one lexicon, read once, as within a request (cooperation_hub/request_memo.py). A
    refresh of comparable projects, in a task, asks for the concepts of thousands of texts;
    checking the shared generation for each was a cache round trip each."""
    with kept_within():
        yield current()


def generation() -> str | None:
    """The lexicon's generation in the shared cache (created when missing); None when the cache is down."""
    from django.core.cache import caches

    cache = caches["generations"]  # never culled with the pages (settings.CACHES)

    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            value = cache.get(GENERATION_KEY)
        return value
    except Exception:  # a cache that is down: keep what this process has
        logger.warning("lexicon: generation unavailable", exc_info=True)
        return None


def bump_generation() -> None:
    """Make every process read the administrators' pairs again (called when one changes)."""
    from django.core.cache import caches

    cache = caches["generations"]

    forget(MEMO_KEY)  # the rest of this request sees the change too
    forget(GENERATION_MEMO_KEY)
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("lexicon: could not bump the generation", exc_info=True)


def _admin_rows() -> tuple[list[Pair], list[tuple[str, str]]]:
    from django.db import DatabaseError

    from .models import LexiconEntry

    try:
        rows = list(LexiconEntry.objects.order_by("pk").values_list("french", "english", "enabled"))
    except DatabaseError:  # not migrated yet (a management command before migrate)
        logger.warning("lexicon: administrators' pairs unavailable", exc_info=True)
        return [], []
    added = [Pair(fr, en, "admin") for fr, en, enabled in rows if enabled]
    removed = [(fr, en) for fr, en, enabled in rows if not enabled]
    return added, removed


def current() -> Lexicon:
    """The lexicon in force: the files' pairs and the administrators' rows of the current generation.

    Checked once per request (cooperation_hub/request_memo.py): a search or a report page asks
    for it dozens of times (each expression of a query, each comparable project's text), and
    each ask was a round trip to the shared cache."""
    return once_per_request(MEMO_KEY, _in_force)


def generation_in_force() -> str | None:
    """``generation()``, read once per request: what a search keys on (search/answers.py) and the
    lexicon it uses are of the same generation, for one round trip to the shared cache."""
    return once_per_request(GENERATION_MEMO_KEY, lambda: generation())


def _in_force() -> Lexicon:
    global _loaded
    gen = generation_in_force()
    loaded = _loaded
    if loaded is not None and (gen is None or loaded[0] == gen):
        return loaded[1]
    with _lock:
        added, removed = _admin_rows()
        # Administrators' pairs first: a correction is preferred to the files' spelling.
        lexicon = Lexicon.build([*added, *file_pairs()], removed)
        _loaded = (gen, lexicon)
        return lexicon
