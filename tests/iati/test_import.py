"""manage.py import_iati: IATI activities in as reports, validated first, all or nothing, idempotent."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page

from exchanges.models import CityContact, ExchangeRequest
from experiences.importer import ImportError_
from experiences.models import City, ExperiencePage
from iati.export import export_bytes
from iati.importing import IatiFileError, import_file
from partnerships.models import Partnership
from search.models import ComparableList

from .helpers import assert_valid, facts

pytestmark = pytest.mark.django_db
RICH = Path(__file__).parent / "data" / "rich-activity.xml"


def write(tmp_path, text: str | bytes, name: str = "activities.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def activity(identifier: str = "XM-TEST-1", title: str = "Bus lanes in Lyon", extra: str = "") -> str:
    return f"""
 <iati-activity>
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="XM-TEST" type="11"><narrative>Test</narrative></reporting-org>
  <title><narrative xml:lang="en">{title}</narrative></title>
  <description><narrative xml:lang="en">Dedicated lanes for buses.</narrative></description>
  <participating-org role="4" type="11"><narrative>Lyon (FR)</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date iso-date="2020-01-01" type="2"/>
  <recipient-country code="FR"/>
  <sector vocabulary="1" code="21020"/>
  {extra}
 </iati-activity>"""


def document(*activities: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">'
        + "".join(activities)
        + ("\n</iati-activities>\n")
    )


def test_the_rich_fixture_imports_and_says_what_it_ignored(capsys):
    call_command("import_iati", str(RICH), "--publish")
    out = capsys.readouterr().out
    dakar = ExperiencePage.objects.filter(external_id="fr-rna-w123456789-dkr-2019-07")
    assert {p.locale.language_code for p in dakar} == {"en", "fr"}
    assert len({p.translation_key for p in dakar}) == 1, "the languages are translations of one report"
    page = dakar.get(locale__language_code="fr")
    assert page.live
    assert page.title == "Éclairage public solaire et formation des jeunes à Dakar"
    assert page.summary.startswith("Dakar et Lyon installent")
    assert (page.city.name, page.city.country) == ("Dakar", "SN")
    assert round(page.city.latitude, 2) == 14.69
    assert [(p.city.name, p.city.country) for p in page.partner_cities.all()] == [("Lyon", "FR")]
    assert {t.slug for t in page.themes.all()} == {"energy-climate", "education-employment", "habitat-environment"}
    assert {g.number for g in page.sdgs.all()} == {7, 11}
    assert [t.name for t in page.tags.all()] == ["solar lighting"]
    assert (page.status, page.start_year, page.end_year) == ("in_progress", 2019, 2023)
    assert set(page.actors) == {"public", "private", "academic"}
    assert page.source_url == "https://example.org/projects/dakar-solar"
    # What has no place in a report is named, not dropped silently.
    for ignored in (
        "budget ×2",
        "transaction ×2",
        "result",
        "contact-info",
        "narratives in es ignored",
        "LIGHT (vocabulary 99)",
        "1 (vocabulary 1)",
    ):
        assert ignored in out, ignored
    second = ExperiencePage.objects.get(external_id="fr-rna-w123456789-slo-2021-02")
    assert (second.locale.language_code, second.city.name, second.status) == ("fr", "Dakar", "completed")
    assert "capital of SN" in out
    assert [t.slug for t in second.themes.all()] == ["food-consumption"]
    assert set(second.actors) == {"associations"}


def test_by_default_reports_await_review_and_a_second_import_changes_nothing(tmp_path):
    path = write(tmp_path, document(activity()))
    first = import_file(path)
    assert (first.report.created, first.report.submitted) == (1, 1)
    page = ExperiencePage.objects.get(external_id="xm-test-1")
    assert not page.live and page.workflow_in_progress
    again = import_file(path)
    assert (again.report.created, again.report.updated, again.report.unchanged) == (0, 0, 1)
    # A changed activity updates its report, never duplicates it.
    changed = import_file(
        write(tmp_path, document(activity(title="Bus lanes in Lyon, phase 2")), "b.xml"), publish=True
    )
    assert changed.report.updated == 1
    assert ExperiencePage.objects.filter(external_id="xm-test-1").count() == 1
    assert ExperiencePage.objects.get(external_id="xm-test-1").title == "Bus lanes in Lyon, phase 2"


def test_one_bad_activity_writes_nothing_and_names_its_line_and_identifier(tmp_path, capsys):
    bad = activity("XM-TEST-2").replace(
        '<reporting-org ref="XM-TEST" type="11"><narrative>Test</narrative></reporting-org>', ""
    )
    spanish = activity("XM-TEST-3").replace('xml:lang="en"', 'xml:lang="es"')
    path = write(tmp_path, document(activity(), bad, spanish))
    before = Page.objects.count()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_iati", str(path))
    errors = capsys.readouterr().err
    assert "activity XM-TEST-2: not valid against the IATI 2.03 schema" in errors
    assert "reporting-org" in errors
    assert "activity XM-TEST-3: no title in a language the hub publishes (fr, en); found: es" in errors
    assert "line 15: activity XM-TEST-2" in errors  # the line where the activity starts
    assert Page.objects.count() == before


def test_the_same_identifier_twice_is_refused(tmp_path):
    with pytest.raises(ImportError_, match="already on line"):
        import_file(write(tmp_path, document(activity(), activity())))


@pytest.mark.parametrize(("content", "message"), [
    ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
     '<iati-activities version="2.03">&xxe;</iati-activities>', "DTD"),
    ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
     '<iati-activities version="2.03"><iati-activity>&lol2;</iati-activity></iati-activities>', "DTD"),
    ('<iati-activities version="2.03">&xxe;</iati-activities>', "not well-formed XML"),
    ("<html><body>hello</body></html>", "not an IATI activity file: the root element is <html>"),
    ('{"external_id": "x"}', "not an XML file"),
    ('<iati-activities version="1.05"><iati-activity/></iati-activities>', "IATI version 1.05 is not supported"),
    ('<iati-activities version="2.03"></iati-activities>', "no iati-activity"),
    ("", "empty"),
])  # fmt: skip
def test_hostile_or_foreign_files_are_refused_with_a_clear_message(tmp_path, content, message):
    before = Page.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_iati", str(write(tmp_path, content)), verbosity=0)
    assert Page.objects.count() == before


def test_a_gigantic_text_is_refused_not_loaded(tmp_path):
    huge = "x" * 11_000_000  # over libxml2's 10 MB limit on one text node (huge_tree off)
    path = write(tmp_path, document(activity(title=huge)))
    with pytest.raises(IatiFileError, match="not well-formed XML"):
        import_file(path)


@override_settings(IATI_PUBLISHER_REF="FR-HUB")
def test_round_trip_export_import_into_an_empty_site_export_again(tmp_path, monkeypatch):
    first = export_bytes()
    before = facts(assert_valid(first))
    # An empty site: no report, no city. Each deletion would refresh the comparable projects of the
    # reports listing it, themselves deleted next (over a minute): not queued, their rows go with them.
    with monkeypatch.context() as patched:
        patched.setattr("search.comparable_store.queue_refresh", lambda *args, **kwargs: None)
        for page in ExperiencePage.objects.all():
            if Page.objects.filter(pk=page.pk).exists():
                page.delete()
    assert not ExperiencePage.objects.exists()
    assert not ComparableList.objects.exists()
    # What names a city and protects it from deletion goes first (the demo's exchanges and partnerships).
    ExchangeRequest.objects.all().delete()
    CityContact.objects.all().delete()
    Partnership.objects.all().delete()
    City.objects.all().delete()
    result = import_file(write(tmp_path, first), publish=True)
    assert result.report.created == sum(len(f["titles"]) for f in before.values())
    after = facts(assert_valid(export_bytes()))
    assert after == before


def test_a_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    before = Page.objects.count()
    call_command("import_iati", str(write(tmp_path, document(activity()))), "--dry-run", verbosity=0)
    assert "1 would be created" in capsys.readouterr().out
    assert Page.objects.count() == before
