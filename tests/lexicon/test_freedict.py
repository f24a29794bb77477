"""manage.py enrich_lexicon keeps the FreeDict pairs whose words our corpus uses."""

import gzip
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lexicon import freedict
from lexicon.lexicon import Pair, key

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64(number: int) -> str:
    out = ""
    while True:
        out = B64[number % 64] + out
        number //= 64
        if not number:
            return out


def write_dictd(directory, name: str, entries: dict[str, str]) -> None:
    """A dictd dictionary as Debian ships FreeDict: an index and a gzip-compatible .dict.dz."""
    data, index, offset = b"", [f"00databaseinfo\t{_b64(0)}\t{_b64(0)}"], 0
    for headword, body in entries.items():
        chunk = f"{headword} /x/ {'<v>' if headword == 'arroser' else '<n>'}\n{body}\n".encode()
        index.append(f"{headword}\t{_b64(offset)}\t{_b64(len(chunk))}")
        data += chunk
        offset += len(chunk)
    (directory / f"{name}.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    (directory / f"{name}.dict.dz").write_bytes(gzip.compress(data))


@pytest.fixture
def dictd(tmp_path):
    write_dictd(
        tmp_path,
        "freedict-fra-eng",
        {
            "kiosque": "kiosk, stall",
            "arrosoir": "watering can",
            "pain": "bread",
            "école": "school",
            "parapluie": "umbrella",
            "lampadaire": "1. streetlamp\n2. lamppost",
            "arroser": "water",
        },
    )
    write_dictd(
        tmp_path,
        "freedict-eng-fra",
        {"pain": "douleur", "kiosk": "kiosque", "umbrella": "parapluie", "lamppost": "lampadaire", "stall": "étal"},
    )
    return tmp_path


def test_the_dictd_files_are_read(dictd):
    entries = {word: (pos, senses) for word, pos, senses in freedict.read_dictionary("freedict-fra-eng", dictd)}
    assert entries["kiosque"] == ("n", ["kiosk", "stall"])
    assert entries["lampadaire"] == ("n", ["streetlamp", "lamppost"])


def test_only_pairs_our_texts_use_both_words_of_are_kept(dictd):
    corpus = {key(w) for w in "kiosque kiosk pain bread douleur école school lampadaire lamppost arroser water".split()}
    entries = {lang: freedict.read_dictionary(name, dictd) for lang, name in freedict.DICTIONARIES.items()}
    pairs = freedict.select_pairs(entries, corpus, known=[Pair("école", "school")])
    kept = {(p.fr, p.en) for p in pairs}
    assert ("kiosque", "kiosk") in kept  # both words in the corpus
    assert ("lampadaire", "lamppost") in kept  # the second sense
    assert ("lampadaire", "streetlamp") not in kept  # only one dictionary gives it
    assert not any(fr == "parapluie" for fr, _en in kept)  # not in our texts
    assert not any("école" in pair for pair in kept)  # already in the core
    assert not any("pain" in pair for pair in kept)  # a false friend: French on one side, English on the other
    assert not any(fr == "arroser" for fr, _en in kept)  # nouns only


@pytest.mark.django_db
def test_the_command_writes_the_file_with_its_licence(dictd, tmp_path, demo):
    output = tmp_path / "out.tsv"
    out = StringIO()
    call_command("enrich_lexicon", dictd_dir=str(dictd), output=str(output), stdout=out)
    text = output.read_text(encoding="utf-8")
    assert "GPL-2.0-or-later" in text and "FreeDict" in text
    assert "FreeDict pairs kept" in out.getvalue()


def test_the_command_says_how_to_install_missing_dictionaries(tmp_path):
    with pytest.raises(CommandError, match="apt-get install -y dict-freedict-fra-eng"):
        call_command("enrich_lexicon", dictd_dir=str(tmp_path), dry_run=True)
