"""Countries read alike in both languages, and sort as a reader of each expects."""

import re

import pytest

from experiences.regions import country_name
from subscriptions.forms import country_choices


@pytest.mark.parametrize(
    ("code", "en", "fr"),
    [
        ("TW", "Taiwan", "Taïwan"),
        ("KR", "South Korea", "Corée du Sud"),
        ("BO", "Bolivia", "Bolivie"),
        ("SN", "Senegal", "Sénégal"),
    ],
)
def test_a_country_has_its_common_name_in_both_languages(code, en, fr):
    # The French list used ISO's formal names ("Taïwan, province de Chine"), the English one the common names.
    assert (country_name(code, "en"), country_name(code, "fr")) == (en, fr)


def test_accented_names_sort_with_their_letter():
    names = [name for _code, name in country_choices("fr")]
    assert names.index("États-Unis") < names.index("Éthiopie") < names.index("Fidji")
    assert names.index("Émirats arabes unis") < names.index("France")


@pytest.mark.django_db
def test_the_french_lists_country_filter_sorts_accented_names_with_their_letter(client, demo, no_page_cache):
    html = client.get("/fr/experiences/").content.decode()
    facets = html[html.index('id="facets-h"') :]
    facet = facets[facets.index("<summary>Pays</summary>") :].split("</details>", 1)[0]
    order = re.findall(r"(États-Unis|Émirats arabes unis|France|Sénégal|Viêt Nam)", facet)
    assert order == ["Émirats arabes unis", "États-Unis", "France", "Sénégal", "Viêt Nam"], order
