"""The themes ↔ DAC sector table and the other code mappings (no database)."""

import re
from pathlib import Path

from experiences import vocabulary
from iati import mapping

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_theme_has_a_real_dac_5_digit_code():
    codes = mapping.dac_codes()
    assert set(mapping.SECTOR_FOR_THEME) == {t.slug for t in vocabulary.THEMES}
    for theme, code in mapping.SECTOR_FOR_THEME.items():
        assert re.fullmatch(r"\d{5}", code), theme
        assert code in codes, f"{code} ({theme}) is not in the DAC list"
    assert len(set(mapping.SECTOR_FOR_THEME.values())) == len(mapping.SECTOR_FOR_THEME), "one code per theme"


def test_the_mapping_goes_back_to_the_same_theme():
    for theme, code in mapping.SECTOR_FOR_THEME.items():
        assert mapping.theme_for_sector(code, "1") == theme
        # its 3-digit DAC category reads as a theme too (another publisher's coarser coding)
        assert mapping.theme_for_sector(code[:3], "2") is not None


def test_other_dac_codes_read_by_their_category_and_other_vocabularies_are_not_guessed():
    assert mapping.theme_for_sector("23210", "1") == "energy-climate"  # renewable energy generation
    assert mapping.theme_for_sector("43030", "1") == "habitat-environment"  # urban development
    assert mapping.theme_for_sector("16061", "1") == "leisure-culture"  # not its category's theme
    assert mapping.theme_for_sector("430", "2") == "habitat-environment"
    assert mapping.theme_for_sector("99810", "1") is None  # sectors not specified
    assert mapping.theme_for_sector("LIGHT", "99") is None
    assert mapping.theme_for_sector("23210", "99") is None
    for theme in {**mapping.CATEGORY_THEMES, **mapping.CODE_THEMES}.values():
        assert theme in mapping.SECTOR_FOR_THEME


def test_the_readme_documents_the_table_the_code_uses():
    text = README.read_text(encoding="utf-8")
    for theme, code in mapping.SECTOR_FOR_THEME.items():
        assert re.search(rf"`{theme}`\s*\|\s*`?{code}`?", text), f"README lacks {theme} → {code}"


def test_statuses_go_there_and_back():
    for status, code in mapping.STATUS_CODE.items():
        assert mapping.STATUS_FOR_CODE[code] == status
