"""North/South region of a country.

Classification: the United Nations Statistics Division's M49 standard,
"Developed regions" (Europe, Northern America, Japan, Australia and New
Zealand) count as the Global North, every other country as the Global South.
Source: https://unstats.un.org/unsd/methodology/m49/ (the developed/developing
distinction as published in the M49 historical classification). An editor can
override the region of a single city where cooperation practice differs.
"""

import pycountry

NORTHERN_AMERICA = {"US", "CA", "BM", "GL", "PM"}
OTHER_DEVELOPED = {"JP", "AU", "NZ"}
EUROPE = {
    "AD", "AL", "AT", "AX", "BA", "BE", "BG", "BY", "CH", "CZ", "DE", "DK", "EE", "ES",
    "FI", "FO", "FR", "GB", "GG", "GI", "GR", "HR", "HU", "IE", "IM", "IS", "IT", "JE",
    "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO",
    "RS", "RU", "SE", "SI", "SJ", "SK", "SM", "UA", "VA", "XK",
}  # fmt: skip
NORTH = frozenset(NORTHERN_AMERICA | OTHER_DEVELOPED | EUROPE)


def is_country_code(code: str) -> bool:
    return pycountry.countries.get(alpha_2=(code or "").upper()) is not None


def region_for_country(code: str) -> str:
    """'north' or 'south' for an ISO 3166-1 alpha-2 code."""
    return "north" if code.upper() in NORTH else "south"


def country_name(code: str, language: str = "en") -> str:
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    if country is None:
        return code
    # The common name where ISO has one, in both languages ("Taiwan" / "Taïwan", "South Korea" /
    # "Corée du Sud"): the formal one ("Taïwan, province de Chine") read as a stance in one language only.
    name = getattr(country, "common_name", None) or country.name
    if language.startswith("fr"):
        import gettext

        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
        return translation.gettext(name)
    return name
