"""French typography in what we write ourselves (issue #15): a non-breaking space, never a
plain one, before : ; ? ! and inside « », in our French catalogues and in the demo's French
texts (reports, consultations, contributions, cover alt texts)."""

import json
import re
from pathlib import Path

import polib
import pytest

from cooperation_hub.demo.covers import COVERS

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "cooperation_hub" / "demo"
CATALOGUES = sorted(ROOT.glob("*/locale/fr/LC_MESSAGES/django.po")) + [ROOT / "locale/fr/LC_MESSAGES/django.po"]
PLAIN_SPACE = re.compile(r"(?<=\S) [:;?!]|« | »")


def _french_texts(value, french: bool = False):
    """Every string of a demo record written in French: under a "fr" key or in a record whose language is fr."""
    if isinstance(value, dict):
        french = value["language"] == "fr" if "language" in value else french
        for key, child in value.items():
            yield from _french_texts(child, True if key == "fr" else False if key == "en" else french)
    elif isinstance(value, list):
        for child in value:
            yield from _french_texts(child, french)
    elif isinstance(value, str) and french:
        yield value


def _offending(texts) -> list[str]:
    return [text[max(0, m.start() - 30) : m.end() + 10] for text in texts if (m := PLAIN_SPACE.search(text))]


def test_the_check_sees_a_plain_space():
    assert _offending(["Comment ?", "« Ma ville »", "Merci : oui"]) == ["Comment ?", "« Ma ville »", "Merci : oui"]
    assert _offending(["Comment\u00a0?", "«\u00a0Ma ville\u00a0»", "http://x.example/a:b"]) == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_our_french_catalogues(po_path):
    entries = polib.pofile(str(po_path))
    assert _offending(s for e in entries for s in [e.msgstr, *e.msgstr_plural.values()]) == []


@pytest.mark.parametrize("name", ["consultation.json", "open_consultation.json"])
def test_the_demo_consultations(name):
    texts = list(_french_texts(json.loads((DEMO / name).read_text())))
    assert texts and _offending(texts) == []


def test_the_demo_reports_and_covers():
    records = [json.loads(line) for line in (DEMO / "experiences.jsonl").read_text().splitlines() if line.strip()]
    texts = [text for record in records for text in _french_texts(record)]
    assert len(texts) > 50 and _offending(texts) == []
    assert _offending(_french_texts([cover.alt for cover in COVERS])) == []
