"""A tag and its translation are one concept with two labels (#17): the tag page and the list's tag filter."""

from tests.experiences.helpers import import_records, record

REPORTS = [
    record("lt-nottingham-tram", language="en", title="Nottingham extends its tram network", tags=["tram"]),
    record("lt-montpellier-tram", language="fr", title="Montpellier prolonge son tramway", tags=["tramway"]),
    record("lt-leeds-bikes", language="en", title="Leeds opens cycle lanes", tags=["cycling"]),
]


def test_a_tag_page_lists_the_reports_tagged_with_either_label(demo, client):
    import_records(*REPORTS)
    for lang, slug in (("fr", "tramway"), ("en", "tram")):
        html = client.get(f"/{lang}/experiences/tag/{slug}/").content.decode()
        assert "Nottingham extends its tram network" in html, lang
        assert "Montpellier prolonge son tramway" in html, lang
        assert "Leeds opens cycle lanes" not in html


def test_the_list_tag_filter_works_across_languages(demo, client):
    import_records(*REPORTS)
    html = client.get("/en/experiences/", {"tag": "tramway"}).content.decode()
    assert "Nottingham extends its tram network" in html and "Montpellier prolonge son tramway" in html


def test_a_pair_removed_by_an_administrator_unlinks_the_tags(demo, client):
    from lexicon.models import LexiconEntry

    import_records(*REPORTS)
    LexiconEntry.objects.create(french="tramway", english="tram", enabled=False)
    html = client.get("/en/experiences/tag/tram/").content.decode()
    assert "Nottingham extends its tram network" in html and "Montpellier prolonge son tramway" not in html
