"""GET /api/iati/activities.xml, /api/iati/activities/<external_id>.xml: valid IATI 2.03."""

import pytest
from django.test import override_settings

from experiences.models import ExperiencePage
from iati import mapping

from .helpers import XML_LANG, assert_valid, identifiers

pytestmark = pytest.mark.django_db


def public_ids() -> set[str]:
    return set(ExperiencePage.objects.visible_to_public().values_list("external_id", flat=True))


@override_settings(IATI_PUBLISHER_REF="FR-TEST-42", IATI_PUBLISHER_NAME="Réseau test", IATI_PUBLISHER_TYPE="15")
def test_demo_export_is_valid_and_has_one_activity_per_public_report(client):
    response = client.get("/api/iati/activities.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = assert_valid(b"".join(response.streaming_content))
    assert root.get("version") == "2.03"
    assert identifiers(root) == {f"FR-TEST-42-{eid}" for eid in public_ids()}
    org = root.find("iati-activity/reporting-org")
    assert (org.get("ref"), org.get("type"), org.findtext("narrative")) == ("FR-TEST-42", "15", "Réseau test")


@override_settings(IATI_PUBLISHER_REF="FR-TEST-42")
def test_one_activity_carries_the_report_in_each_language(client):
    page = ExperiencePage.objects.visible_to_public().select_related("city").first()
    translations = ExperiencePage.objects.visible_to_public().filter(translation_key=page.translation_key)
    response = client.get(f"/api/iati/activities/{page.external_id}.xml")
    assert response.status_code == 200
    root = assert_valid(response.content)
    [activity] = root.findall("iati-activity")
    assert activity.findtext("iati-identifier") == f"FR-TEST-42-{page.external_id}"
    titles = {n.get(XML_LANG): n.text for n in activity.find("title")}
    assert titles == {t.locale.language_code: t.title for t in translations}
    descriptions = {n.get(XML_LANG): n.text for n in activity.find("description")}
    assert descriptions == {t.locale.language_code: t.summary for t in translations}
    assert activity.find("recipient-country").get("code") == page.city.country
    assert activity.find("location/name/narrative").text == page.city.name
    if page.city.has_coordinates:
        lat, lon = map(float, activity.findtext("location/point/pos").split())
        assert (round(lat, 3), round(lon, 3)) == (round(page.city.latitude, 3), round(page.city.longitude, 3))
    orgs = [o.findtext("narrative") for o in activity.findall("participating-org")]
    assert orgs[0] == f"{page.city.name} ({page.city.country})"
    assert len(orgs) == 1 + page.partner_cities.count()
    assert activity.find("activity-status").get("code") == mapping.STATUS_CODE[page.status]
    sectors = {s.get("code") for s in activity.findall("sector")}
    assert sectors == {mapping.SECTOR_FOR_THEME[t.slug] for t in page.themes.all()}
    sdgs = {t.get("code") for t in activity.findall("tag") if t.get("vocabulary") == "2"}
    assert sdgs == {str(g.number) for g in page.sdgs.all()}
    if page.source_url:
        assert page.source_url in [d.get("url") for d in activity.findall("document-link")]
    latest = max(t.latest_revision_created_at for t in translations)
    assert activity.get("last-updated-datetime")[:19] == latest.astimezone().astimezone(
        __import__("datetime").UTC
    ).strftime("%Y-%m-%dT%H:%M:%S")


def test_an_unknown_or_unpublished_report_is_a_404_with_an_xml_body(client):
    response = client.get("/api/iati/activities/no-such-report.xml")
    assert response.status_code == 404
    assert b"<error" in response.content and b"no-such-report" in response.content
    page = ExperiencePage.objects.visible_to_public().first()
    translations = list(ExperiencePage.objects.filter(translation_key=page.translation_key))
    page.unpublish()  # its translation is still public: so is the activity
    assert client.get(f"/api/iati/activities/{page.external_id}.xml").status_code == (
        200 if len(translations) > 1 else 404
    )
    for translation in translations:
        translation.refresh_from_db()
        if translation.live:
            translation.unpublish()
    assert client.get(f"/api/iati/activities/{page.external_id}.xml").status_code == 404
    listed = identifiers(assert_valid(b"".join(client.get("/api/iati/activities.xml").streaming_content)))
    assert not any(i.endswith(f"-{page.external_id}") for i in listed)


@pytest.mark.parametrize("params", [
    {"theme": "energy-climate"}, {"country": "FR"}, {"status": "completed"}, {"region": "south"},
    {"sdg": "11"}, {"q": "smart"}, {"theme": "mobility-transport", "country": "FR"},
])  # fmt: skip
@override_settings(IATI_PUBLISHER_REF="XX-T")
def test_filters_select_the_same_reports_as_the_list(client, params):
    from experiences.filters import filter_experiences

    expected = {page.external_id for page in filter_experiences(params, None, with_facets=False).queryset}
    response = client.get("/api/iati/activities.xml", params)
    root = assert_valid(b"".join(response.streaming_content))
    assert identifiers(root) == {f"XX-T-{eid}" for eid in expected}


def test_a_refused_search_text_is_a_400_with_an_xml_body(client):
    response = client.get("/api/iati/activities.xml", {"q": "word " * 400})
    assert response.status_code == 400
    assert b"<error" in response.content


def _import(records, publish=True):
    import json

    from experiences.importer import import_lines

    return import_lines([json.dumps(r, ensure_ascii=False) for r in records], publish=publish)


@override_settings(IATI_PUBLISHER_REF="XX-T")
def test_a_report_with_every_optional_field_empty_is_valid(client):
    _import(
        [
            {
                "external_id": "bare-report",
                "language": "en",
                "title": "Bare",
                "summary": "Only what is required.",
                "city": "Nowhereville",
                "country": "FR",
            }
        ]
    )
    page = ExperiencePage.objects.get(external_id="bare-report")
    assert not page.city.has_coordinates and not page.themes.exists() and page.start_year is None
    response = client.get("/api/iati/activities/bare-report.xml")
    root = assert_valid(response.content)
    activity = root.find("iati-activity")
    assert activity.find("sector") is None and activity.find("tag") is None
    assert activity.find("location/point") is None
    # The schema wants a date: the day of publication, said to be one.
    [date] = activity.findall("activity-date")
    assert date.get("type") == "1" and "first published on the hub" in date.findtext("narrative")


def test_export_iati_command_writes_a_valid_file_with_the_lists_filters(tmp_path, capsys):
    from django.core.management import call_command

    from experiences.filters import filter_experiences

    everything, energy = tmp_path / "all.xml", tmp_path / "energy.xml"
    call_command("export_iati", str(everything))
    call_command("export_iati", str(energy), "--theme", "energy-climate")
    assert "Exporting" in capsys.readouterr().err  # the progress bar
    assert len(identifiers(assert_valid(everything.read_bytes()))) == len(public_ids())
    expected = {
        p.external_id for p in filter_experiences({"theme": "energy-climate"}, None, with_facets=False).queryset
    }
    assert {i.split("-", 2)[-1] for i in identifiers(assert_valid(energy.read_bytes()))} == expected
    assert not list(tmp_path.glob("*.part"))


def test_the_api_streams_and_its_queries_do_not_grow_with_the_reports(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/iati/activities.xml")
            assert response.streaming  # written as it is read: memory stays flat
            b"".join(response.streaming_content)
        return len(queries)

    before = count()
    _import(
        [
            {
                "external_id": f"extra-{n}",
                "language": "en",
                "title": f"Extra {n}",
                "summary": "S",
                "city": "Lyon",
                "country": "FR",
                "themes": ["energy-climate"],
                "sdgs": [7],
                "tags": ["solar"],
                "partner_cities": [{"city": "Dakar", "country": "SN"}],
            }
            for n in range(15)
        ]
    )
    assert count() <= before + 2
