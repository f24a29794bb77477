"""Our French catalogues are the one source of the French interface: every
entry translated, none left as gettext's fuzzy guess, and the compiled .mo
files that Django reads say the same as the .po files people edit."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/fr/LC_MESSAGES/django.po")) + [ROOT / "locale/fr/LC_MESSAGES/django.po"]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_name)
def test_every_entry_is_translated_and_none_is_fuzzy(po_path):
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_name)
def test_the_compiled_catalogue_matches_its_source(po_path):
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(po_path.with_suffix(".mo")))

    def text(entry) -> tuple[str, ...]:
        plural = entry.msgstr_plural
        return tuple(plural[k] for k in sorted(plural, key=int)) if plural else (entry.msgstr,)

    compiled = {(e.msgctxt, e.msgid): text(e) for e in mo}
    stale = sorted(e.msgid for e in po.translated_entries() if compiled.get((e.msgctxt, e.msgid)) != text(e))
    assert stale == [], "run `make messages` (or compile the catalogue) after editing the .po"
