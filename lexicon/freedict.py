"""Pairs from the FreeDict French-English dictionaries, kept only where our own texts use both words.

FreeDict (GPL-2+, Debian packages ``dict-freedict-fra-eng`` and ``dict-freedict-eng-fra``)
ships dictd files: ``<name>.index`` (headword, base64 offset, base64 length) and
``<name>.dict.dz`` (gzip-compatible dictzip). An entry is a headword line
(``école /ekɔl/ <n, fem>``) followed by its translations, one sense a line, numbered
("1. ") or not, comma-separated.

The dictionaries hold tens of thousands of general words: most would only add noise to a
search (a French "car" is "because", not a vehicle). ``select_pairs`` keeps a one-word pair
only when the corpus (reports, contributions, tags, vocabulary) uses both its words, the
core lexicon does not already cover either word, neither word is a word of the other
language in the lexicon (no false friends), both dictionaries give it (each one way), and the French word is a noun (grammatical
words and common verbs translate to words every text of the other language has).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .lexicon import WORD_RE, Pair, fold, key

DICTD_DIR = Path("/usr/share/dictd")
DICTIONARIES = {"fr": "freedict-fra-eng", "en": "freedict-eng-fra"}  # language of the headwords -> file name
MAX_PER_HEADWORD = 2  # the first senses: later ones are rarer meanings
MIN_LENGTH = 4  # shorter words are mostly grammatical or ambiguous ("car", "pour", "sol")

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_SENSE_RE = re.compile(r"^\s*\d+\.\s*")
_NOTE_RE = re.compile(r"\[[^]]*\]|\([^)]*\)")
_POS_RE = re.compile(r"<([^>]*)>")


def _b64(value: str) -> int:
    number = 0
    for char in value:
        number = number * 64 + _B64.index(char)
    return number


def read_dictionary(name: str, directory: Path = DICTD_DIR) -> Iterator[tuple[str, str, list[str]]]:
    """(headword, part of speech or "", translations) of one dictd dictionary, in index order."""
    index = directory / f"{name}.index"
    data = directory / f"{name}.dict.dz"
    if not data.exists():
        data = directory / f"{name}.dict"
    raw = gzip.decompress(data.read_bytes()) if data.suffix == ".dz" else data.read_bytes()
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or parts[0].startswith("00database"):
            continue
        headword, offset, length = parts[0], _b64(parts[1]), _b64(parts[2])
        lines = raw[offset : offset + length].decode("utf-8", "replace").splitlines()
        pos = _POS_RE.search(lines[0]) if lines else None
        translations: list[str] = []
        for sense in lines[1:]:
            sense = _NOTE_RE.sub(" ", _SENSE_RE.sub("", sense))
            translations += [t.strip() for t in sense.split(",") if t.strip()]
        yield headword, (pos.group(1).strip() if pos else ""), translations


def _one_word(text: str) -> str | None:
    from cooperation_hub.text import STOPWORDS

    found = WORD_RE.findall(fold(text))
    if len(found) != 1 or len(found[0]) < MIN_LENGTH or found[0].isdigit() or found[0] in STOPWORDS:
        return None
    return found[0]


def select_pairs(
    entries: Mapping[str, Iterable[tuple[str, str, list[str]]]], corpus: set[str], known: Iterable[Pair]
) -> list[Pair]:
    """The FreeDict pairs worth keeping (module docstring); ``corpus``: keys of the words our texts use."""
    known = list(known)
    covered = {"fr": {key(p.fr) for p in known}, "en": {key(p.en) for p in known}}
    entries = {language: list(dictionary) for language, dictionary in entries.items()}
    # The French word must be a noun of fra-eng (eng-fra gives no part of speech).
    french_nouns = {key(word) for word, pos, _senses in entries.get("fr", []) if pos.startswith("n")}
    chosen: dict[tuple[str, str], Pair] = {}
    found: dict[tuple[str, str], set[str]] = {}
    for language, dictionary in entries.items():
        other = "en" if language == "fr" else "fr"
        for headword, pos, translations in dictionary:
            word = _one_word(headword)
            if pos and not pos.startswith("n"):
                continue  # nouns only: "avec", "aussi", "faire" would match every text of the other language
            if word is None or key(word) not in corpus or key(word) in covered[language]:
                continue
            kept = 0
            for translation in translations:
                target = _one_word(translation)
                if kept >= MAX_PER_HEADWORD or target is None:
                    continue
                kept += 1  # a sense counts even when its word is not ours: the first senses only
                if key(target) == key(word) or key(target) not in corpus or key(target) in covered[other]:
                    continue
                fr, en = (headword.strip(), translation) if language == "fr" else (translation, headword.strip())
                if key(fr) not in french_nouns:
                    continue
                chosen.setdefault((key(fr), key(en)), Pair(fr, en, "freedict"))
                found.setdefault((key(fr), key(en)), set()).add(language)
    # Both dictionaries must give the pair (fra-eng one way, eng-fra the other): one-way pairs
    # are mostly a rare sense ("durée": "while", "chose": "case").
    both = {ids for ids, pair in chosen.items() if len(found[ids]) == 2} if len(entries) == 2 else set(chosen)
    pairs = [pair for ids, pair in chosen.items() if ids in both]
    # No word on both sides (a false friend: "pain" is bread in French, "douleur" in English).
    french = {key(p.fr) for p in [*known, *pairs]}
    english = {key(p.en) for p in [*known, *pairs]}
    return sorted(
        (p for p in pairs if key(p.fr) not in english and key(p.en) not in french), key=lambda p: (key(p.fr), key(p.en))
    )


def corpus_keys() -> set[str]:
    """Keys of every word of the reports, contributions, tags and vocabulary (what a search can find)."""
    from taggit.models import Tag

    from contributions.models import Contribution
    from experiences import vocabulary
    from experiences.models import ExperiencePage

    found: set[str] = set()

    def add(text: str) -> None:
        found.update(key(w) for w in WORD_RE.findall(fold(text or "")))

    def strings(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield re.sub(r"<[^>]+>", " ", value)
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from strings(item)

    for page in ExperiencePage.objects.all().iterator():
        add(page.title)
        add(page.summary)
        add(page.lessons)
        for text in strings(page.body.raw_data):
            add(text)
    for title, body in Contribution.objects.values_list("title", "body").iterator():
        add(title)
        add(body)
    for name in Tag.objects.values_list("name", flat=True):
        add(name)
    for term in (*vocabulary.THEMES, *vocabulary.SDGS, *vocabulary.ACTORS):
        add(term.fr)
        add(term.en)
    return {k for k in found if k}


def write_tsv(pairs: list[Pair], path: Path, header: str) -> None:
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += [f"{p.fr}\t{p.en}" for p in pairs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
