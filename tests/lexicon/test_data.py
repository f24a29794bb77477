"""The lexicon shipped in the repository: each side in its language, no duplicates, no false friends."""

import re

import pytest

from lexicon.lexicon import CORE_FILE, FREEDICT_FILE, Lexicon, file_pairs, key, read_tsv, vocabulary_pairs

FRENCH_LETTERS = re.compile(r"^[a-zàâæçéèêëîïôœùûüÿ' -]+$", re.IGNORECASE)
ENGLISH_LETTERS = re.compile(r"^[a-z' -]+$", re.IGNORECASE)  # no accent in an English term
FRENCH_GRAMMAR = {"de", "des", "du", "la", "le", "les", "et", "pour", "avec", "au", "aux", "en", "entre"}
ENGLISH_GRAMMAR = {"the", "of", "and", "for", "with", "from", "to", "by", "between"}


def test_the_core_is_versioned_data_of_a_few_hundred_pairs():
    text = CORE_FILE.read_text(encoding="utf-8")
    assert re.search(r"^# version: \d+$", text, re.MULTILINE)
    assert len(read_tsv(CORE_FILE, "core")) >= 300


@pytest.mark.parametrize("source", ["core", "vocabulary", "freedict"])
def test_each_side_is_in_its_language(source):
    pairs = {
        "core": read_tsv(CORE_FILE, "core"),
        "vocabulary": vocabulary_pairs(),
        "freedict": read_tsv(FREEDICT_FILE, "freedict"),
    }[source]
    for pair in pairs:
        fr_words, en_words = pair.fr.lower().replace("-", " ").split(), pair.en.lower().replace("-", " ").split()
        if source != "vocabulary":  # labels have commas and guillemets; their letters are checked below
            assert FRENCH_LETTERS.match(pair.fr), pair
            assert ENGLISH_LETTERS.match(pair.en), pair
        assert not set(re.findall(r"[àâæçéèêëîïôœùûüÿ]", pair.en.lower())), pair
        assert not set(fr_words) & ENGLISH_GRAMMAR, pair
        assert not set(en_words) & FRENCH_GRAMMAR, pair
        assert key(pair.fr) and key(pair.en) and key(pair.fr) != key(pair.en), pair


def test_no_pair_twice_and_no_word_on_both_sides():
    """A word is French or English in the lexicon, never both: no false friend expands both ways."""
    core = read_tsv(CORE_FILE, "core")
    ids = [(key(p.fr), key(p.en)) for p in core]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    lexicon = Lexicon.build(file_pairs())
    french, english = {key(p.fr) for p in lexicon.pairs}, {key(p.en) for p in lexicon.pairs}
    assert not french & english, sorted(french & english)


def test_accents_are_french_and_well_formed():
    import unicodedata

    for pair in read_tsv(CORE_FILE, "core"):
        assert unicodedata.is_normalized("NFC", pair.fr), pair  # "é" one character, as typed
        assert pair.fr == pair.fr.strip() and "  " not in pair.fr, pair
    # Words whose French spelling carries an accent are written with it.
    french = {p.fr for p in read_tsv(CORE_FILE, "core")}
    assert {"téléphérique", "école", "énergie", "santé", "déchets"} <= french
    assert not {"telepherique", "ecole", "energie", "sante", "dechets"} & french


def test_the_freedict_file_says_where_it_comes_from_and_its_licence():
    if not FREEDICT_FILE.exists():
        pytest.skip("no FreeDict pairs generated")
    head = FREEDICT_FILE.read_text(encoding="utf-8")[:1000]
    assert "FreeDict" in head and "GPL-2.0-or-later" in head
