"""Language helpers shared by every backend: folding, light stemming, highlighting (queries: query.py).

Below every app (experiences' list, contributions' sanitising and search all use it), so it
lives in the project package rather than in ``search``.

The scalable engines analyse text with real French/English analyzers (see
search/engines/). The database backend cannot, so the same ideas are
approximated here in Python: accents and case are folded, and each query word
is expanded into its light-stemmed variants (singular/plural, common French
and English suffixes) so that "écoles" finds "école" and "schools" finds
"school" on SQLite FTS5 and PostgreSQL alike.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape
from django.utils.translation import get_language, pgettext

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

# Words that carry no meaning for search or similarity, in both languages.
STOPWORDS = frozenset(
    """
    a an and are as at be by for from has have in into is it its of on or that the their this to was were will with
    we our they them which who what how not but also more than can all about after before between
    au aux avec ce ces cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me meme mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre
    vous est sont ete etre avoir plus comme tout tous toutes aussi dont entre sans sous ainsi
    c d j l m n s t qu y
    """.split()  # the last line: French elisions ("l'air" is "l" + "air"), which match every French text
)


def fold(text: str) -> str:
    """Lower-case and strip accents: "Béthune" -> "bethune", "Œuvre" -> "oeuvre"."""
    text = (text or "").replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sort_key(text: str) -> str:
    """What a title is sorted by, A to Z as a reader expects whatever the database's collation:
    accents and case folded, leading quotes and punctuation left out ("« Écoles" → "ecoles",
    next to "Ecoles" and before "Wuhan"; byte order put "É" after "W")."""
    return re.sub(r"^[\W_]+", "", fold(text))


def words(text: str) -> list[str]:
    """Folded words of a text, in order."""
    return WORD_RE.findall(fold(text))


# Suffixes stripped by the light stemmer, longest first. Deliberately light:
# over-stemming on a database backend joins unrelated words, which is worse
# than missing a rare inflection.
_SUFFIXES = (
    "ements",
    "ement",
    "ations",
    "ation",
    "ities",
    "ings",
    "ing",
    "ies",
    "ives",
    "ive",
    "ees",
    "ee",
    "es",
    "s",
    "x",
    "e",
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, language-agnostic stem of a folded word ("ecoles" -> "ecol", "schools" -> "school")."""
    w = fold(word)
    if len(w) <= 3 or w.isdigit():
        return w
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if suffix == "ies":
                w += "y"
            break
    return w


def variants(word: str) -> list[str]:
    """The forms of a word the database backend should match: itself, its stem, and common inflections."""
    w = fold(word)
    s = stem(w)
    forms = [w, s]
    if not s.isdigit() and len(s) > 2:
        forms += [s + "s", s + "e", s + "es", s + "x"]
        if s.endswith("y"):
            forms += [s[:-1] + "ies"]
        # French -al / -aux ("social", "sociaux"; "local", "locaux"): the stem alone does not join them.
        if w.endswith("aux") and len(w) > 5:
            forms += [w[:-3] + "al", w[:-3] + "ale", w[:-3] + "ales", w[:-3] + "als"]
        elif s.endswith("al") and len(s) > 4:
            forms += [s[:-2] + "aux"]
    seen: list[str] = []
    for form in forms:
        if form and form not in seen:
            seen.append(form)
    return seen


@lru_cache(maxsize=256)
def _matcher(terms: tuple[str, ...]):
    """Whether a word of a text matches ``terms``; kept per set of terms, so that the snippets of one
    page of results (and the next searches for the same words) fold each word of their texts once."""
    exact = set(terms)
    stems = {stem(t) for t in terms}
    prefixes = tuple(t for t in terms if len(t) >= 4)

    @lru_cache(maxsize=4096)
    def matches(token: str) -> bool:
        folded = fold(token)
        return folded in exact or stem(folded) in stems or bool(prefixes and folded.startswith(prefixes))

    return matches


def highlight(text: str, terms: list[str], length: int = 240) -> str:
    """An HTML-escaped excerpt of ``text`` around the first match, matched words in <mark>.

    Safe to mark as safe: every piece of the original text goes through escape().
    """
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return ""
    matches = _matcher(tuple(terms)) if terms else None
    first = None
    if matches:
        found = [m for m in WORD_RE.finditer(text) if matches(m.group(0))][:200]
        stems = [stem(m.group(0)) for m in found]  # stem() folds, and is cached: once per word, not per pair
        # The excerpt that holds the most different words of the query ("qualité de l'air",
        # not the first "air" of "climat-air-énergie"); the earliest among equals.
        best = -1
        for i, m in enumerate(found):
            limit = m.start() + length // 2
            near, j = set(), i  # the matches from this one on within half an excerpt (in text order)
            while j < len(found) and found[j].start() < limit:
                near.add(stems[j])
                j += 1
            if len(near) > best:
                first, best = m, len(near)
    start = 0
    if first:
        start = max(0, first.start() - length // 4)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    out = ["…" if start else ""]
    cursor = start
    if matches:
        for m in WORD_RE.finditer(text, start, end):
            if matches(m.group(0)):
                out.append(escape(text[cursor : m.start()]))
                out.append(f"<mark>{escape(m.group(0))}</mark>")
                cursor = m.end()
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)


def significant_words(text: str) -> set[str]:
    """Stems of the meaningful words of a text, for similarity on the database backend."""
    return {stem(w) for w in words(text) if len(w) > 2 and w not in STOPWORDS and not w.isdigit()}


# A private-use character stands for U+00A0 while words are counted: Python's split() cuts on it
# and Truncator rejoins with plain spaces, which undid French typography ("illustratif :").
_NBSP_STAND_IN = "\ue000"


def truncate_words(text: str, count: int) -> str:
    """The first ``count`` words of ``text`` (Django's Truncator), non-breaking spaces kept."""
    from django.utils.text import Truncator

    return Truncator(str(text).replace("\u00a0", _NBSP_STAND_IN)).words(count).replace(_NBSP_STAND_IN, "\u00a0")


def squeeze_spaces(text: str) -> str:
    """Runs of whitespace as one space, non-breaking spaces kept (" ".join(text.split()) drops them)."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", str(text)).strip()


def name_list(names: Iterable[str]) -> str:
    """Names joined for a sentence, in the active language: with commas, or with semicolons when a
    name holds a comma itself, so that each reads as one ("Éducation, emploi ; Énergie, climat",
    not four themes in "Éducation, emploi, Énergie, climat")."""
    names = list(names)
    if any("," in name for name in names):
        return pgettext("between names of which some hold a comma", "; ").join(names)
    return ", ".join(names)


# French elides "de" and "que" before a vowel: "ce qu’Annecy prévoit", "les villes pairs
# d’Agadir". A name put in a sentence ("ce que %(b)s") cannot be elided by the catalogue.
_ELISION = re.compile(r"\b([Dd]e|[Qq]ue) (?=[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜaeiouyàâäéèêëîïôöùûü])")


def elide(text: str) -> str:
    """``text`` with French "de"/"que" elided before a vowel, in French; as it is otherwise."""
    if not (get_language() or "").startswith("fr"):
        return text
    return _ELISION.sub(lambda match: match.group(1)[:-1] + "’", text)
