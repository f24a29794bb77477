"""`import_experiences FILE [--dry-run] [--publish]`: validated line by line, all or nothing, idempotent;
submitted for review unless --publish."""

import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from experiences.importer import ImportError_, import_lines, read_records
from experiences.models import City, ExperiencePage

from .helpers import import_records, lines, record

pytestmark = pytest.mark.django_db

GOOD = [
    record("imp-solar", "en", title="Solar schools", themes=["energy-climate"], sdgs=[7], tags=["solar", "Schools"],
           status="completed", start_year=2015, end_year=2019, actors=["public", "schools"],
           city="Ouagadougou", country="bf", partner_cities=[{"city": "Grenoble", "country": "FR"}],
           indicators=[{"name": "Schools equipped", "value": 12, "unit": "", "year": None},
                       {"name": "Output", "value": 3.25, "unit": "MWh", "year": 2019}],
           body="First paragraph.\n\nFish & chips.", lessons="Start small.", source_url="https://example.org/a",
           contact_email="cooperation@example.org"),
    record("imp-solar", "fr", title="Écoles solaires", city="Ouagadougou", country="BF"),
]  # fmt: skip


def write_file(tmp_path, rows: list) -> str:
    path = tmp_path / "experiences.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return str(path)


def test_a_good_file_creates_published_bilingual_reports(tmp_path):
    call_command("import_experiences", write_file(tmp_path, GOOD), "--publish", verbosity=0)
    en = ExperiencePage.objects.get(external_id="imp-solar", locale__language_code="en")
    fr = ExperiencePage.objects.get(external_id="imp-solar", locale__language_code="fr")
    assert en.live and fr.live and en.translation_key == fr.translation_key
    assert en.live_revision_id and en.live_revision_id == en.latest_revision_id and not en.has_unpublished_changes
    assert en.url == "/en/experiences/imp-solar/"
    assert en.city.country == "BF" and en.city.region == "south"
    assert [p.city.name for p in en.partner_cities.all()] == ["Grenoble"]
    assert en.partner_cities.get().city.latitude is not None  # placed by GeoNames
    assert {t.slug for t in en.themes.all()} == {"energy-climate"}
    # Tags are case-insensitive: "Schools" reuses the demo's "schools".
    assert sorted(t.name.casefold() for t in en.tags.all()) == ["schools", "solar"]
    indicators = list(en.indicators.all())
    assert indicators[0].year is None and indicators[1].unit == "MWh"
    assert en.body[0].block_type == "paragraph"
    assert str(en.body[0].value.source) == "<p>First paragraph.</p><p>Fish &amp; chips.</p>"


def test_the_command_reports_counts(tmp_path):
    from io import StringIO

    out = StringIO()
    call_command("import_experiences", write_file(tmp_path, GOOD), stdout=out, stderr=StringIO())
    assert "2 experience(s) read: 2 were created, 0 were updated, 0 unchanged." in out.getvalue()


BAD_LINES = [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "expected a JSON object"),
    (record("x")  | {"title": ""}, "missing required field(s): title"),
    ({"external_id": "x", "language": "en"}, "missing required field(s): title, summary, city, country"),
    (record("x", colour="red"), "unknown field(s): colour"),
    (record("Not A Slug"), "external_id must be a slug"),
    (record("x", "de"), "unknown language 'de'; allowed: fr, en"),
    (record("x", title=42), "title must be a string"),
    (record("x", summary="s" * 601), "summary is longer than 600 characters"),
    (record("x", country="ZZ"), "country: 'ZZ' is not an ISO 3166-1 alpha-2 country code"),
    (record("x", themes=["space"]), "unknown themes: space; allowed: habitat-environment, mobility-transport"),
    (record("x", actors=["aliens"]), "unknown actors: aliens; allowed: public, private"),
    (record("x", sdgs=[18]), "sdgs must be a list of numbers from 1 to 17"),
    (record("x", status="done"), "unknown status 'done'; allowed: planned, in_progress, completed"),
    (record("x", start_year=-1), "start_year must be a positive whole number or null"),
    (record("x", start_year=2020, end_year=2010), "end_year comes before start_year"),
    (record("x", start_year=70000), "start_year must be a year between 1800 and 2100"),
    (record("x", latitude=95), "latitude must be a number between -90 and 90"),
    (record("x", population=10**30), "population must be a positive whole number (at most 2147483647)"),
    (record("x", indicators=[{"name": "n", "value": 1e30}]), "indicators[1].value"),
    (record("x", tags=[""]), "tags must be a list of non-empty strings"),
    (record("x", partner_cities=[{"country": "FR"}]), "partner_cities[1] needs a city name"),
    (record("x", partner_cities=[{"city": "Lyon", "country": "France"}]), "partner_cities[1].country: 'France'"),
    (record("x", indicators=[{"name": "n", "value": "lots"}]), "indicators[1].value must be a number"),
    (record("x", indicators=[{"name": "n", "value": "NaN"}]), "indicators[1].value must be a number"),
    (record("x", indicators=[{"name": "n", "value": 1, "year": "2019"}]), "indicators[1].year must be a year"),
    (record("x", source_url="ftp://example.org"), "source_url must be an http(s) address"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "reason"), BAD_LINES, ids=[reason[:40] for _, reason in BAD_LINES])
def test_every_kind_of_bad_line_is_reported_with_its_number(line, reason):
    text = line if isinstance(line, str) else json.dumps(line)
    records, errors = read_records(lines(record("ok-first")) + [text])
    assert len(errors) == 1
    assert errors[0].startswith("line 2: ")
    assert reason in errors[0]


def test_a_duplicate_line_is_reported():
    _, errors = read_records(lines(record("dup"), record("other"), record("dup")))
    assert errors == ["line 3: external_id 'dup' in 'en' already appears on line 1"]


def test_a_bad_line_makes_the_command_fail_and_write_nothing(tmp_path):
    pages, cities = ExperiencePage.objects.count(), City.objects.count()
    path = write_file(tmp_path, [GOOD[0], "", record("bad", themes=["nope"]), "{oops"])
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="2 bad line"):
        call_command("import_experiences", path, stderr=err)
    assert "line 3: unknown themes: nope; allowed: habitat-environment" in err.getvalue()
    assert "line 4: invalid JSON" in err.getvalue()
    assert (ExperiencePage.objects.count(), City.objects.count()) == (pages, cities)


def test_the_command_exits_non_zero(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    path = write_file(tmp_path, [record("bad", sdgs=[0])])
    result = subprocess.run(
        [sys.executable, "manage.py", "import_experiences", path], cwd=settings.BASE_DIR, capture_output=True,
        text=True, check=False, env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )  # fmt: skip
    assert result.returncode != 0
    assert "line 1: sdgs must be a list of numbers from 1 to 17" in result.stderr


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_experiences", str(tmp_path / "none.jsonl"))


def test_dry_run_validates_and_writes_nothing(tmp_path):
    before = (ExperiencePage.objects.count(), City.objects.count(), Page.objects.count())
    from io import StringIO

    out = StringIO()
    call_command("import_experiences", write_file(tmp_path, GOOD), "--dry-run", stdout=out, stderr=StringIO())
    assert "2 would be created" in out.getvalue()
    assert (ExperiencePage.objects.count(), City.objects.count(), Page.objects.count()) == before


def test_reimport_updates_an_edited_record_and_leaves_the_others(tmp_path):
    import_records(*GOOD)
    page = ExperiencePage.objects.get(external_id="imp-solar", locale__language_code="en")
    revisions = page.revisions.count()
    edited = dict(GOOD[0], title="Solar schools, second phase", tags=["solar"], status="in_progress")
    report = import_records(edited, GOOD[1])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    page.refresh_from_db()
    assert page.title == "Solar schools, second phase" and page.status == "in_progress"
    assert [t.name for t in page.tags.all()] == ["solar"]
    assert page.revisions.count() == revisions + 1
    assert ExperiencePage.objects.filter(external_id="imp-solar").count() == 2


def test_a_second_identical_import_changes_nothing():
    import_records(*GOOD)
    page = ExperiencePage.objects.get(external_id="imp-solar", locale__language_code="en")
    state = (page.latest_revision_id, page.last_published_at, page.revisions.count())
    report = import_records(*GOOD)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    page.refresh_from_db()
    assert (page.latest_revision_id, page.last_published_at, page.revisions.count()) == state


def test_an_error_while_writing_rolls_back_the_whole_file():
    before = ExperiencePage.objects.count()
    too_long = "https://example.org/" + "a" * 600
    with pytest.raises(ImportError_) as error:
        # Valid lines, but the second one fails the model's validation (source longer than the field).
        import_lines(lines(record("imp-first-ok"), record("imp-late-fail", source_url=too_long)))
    assert error.value.errors[0].startswith("line 2: ")
    assert ExperiencePage.objects.count() == before


def test_a_dry_run_or_a_file_stopped_by_a_bad_line_emails_no_reviewer(mailoutbox):
    """Walked from the command line: a dry run of 34 records left 102 "submitted for review"
    e-mails about reports it never saved, their links to page ids later given to other pages."""
    import_lines(lines(record("imp-dry-one"), record("imp-dry-two")), dry_run=True)
    assert mailoutbox == [] and not ExperiencePage.objects.filter(external_id__startswith="imp-dry").exists()
    too_long = "https://example.org/" + "a" * 600
    with pytest.raises(ImportError_):
        import_lines(lines(record("imp-stopped-ok"), record("imp-stopped-bad", source_url=too_long)))
    assert mailoutbox == []
    # A file that is written starts its reviews, and the reviewers hear of them.
    report = import_lines(lines(record("imp-reviewed")))
    assert report.submitted == 1
    assert ExperiencePage.objects.get(external_id="imp-reviewed").workflow_in_progress
    assert mailoutbox


def test_imported_reports_are_searchable_at_once():
    import_records(record("imp-search", summary="Rainwater harvesting on school roofs"))
    from wagtail.models import Locale

    from experiences.filters import search_ids

    page = ExperiencePage.objects.get(external_id="imp-search")
    from .conftest import _refresh_search_engines

    _refresh_search_engines()
    assert page.pk in search_ids(Locale.objects.get(language_code="en"), "rainwater")


def test_without_publish_the_reports_await_review_and_nothing_goes_live(tmp_path):
    from io import StringIO

    out = StringIO()
    call_command("import_experiences", write_file(tmp_path, GOOD), stdout=out, stderr=StringIO())
    for page in ExperiencePage.objects.filter(external_id="imp-solar"):
        assert not page.live and page.live_revision_id is None
        assert page.latest_revision_id and page.has_unpublished_changes
        assert page.workflow_in_progress
        assert page.current_workflow_task.name.endswith("Review by a reviewer")
    assert "submitted for review (2 workflow(s) started); nothing was published" in out.getvalue()
    # The same file again: nothing new to review, no second workflow.
    out = StringIO()
    call_command("import_experiences", write_file(tmp_path, GOOD), stdout=out, stderr=StringIO())
    assert "0 were created, 0 were updated, 2 unchanged" in out.getvalue()


def test_an_update_without_publish_leaves_the_live_report_as_it_is_until_approved(tmp_path):
    call_command("import_experiences", write_file(tmp_path, GOOD), "--publish", verbosity=0)
    edited = {**GOOD[0], "title": "Solar schools, second phase"}
    call_command("import_experiences", write_file(tmp_path, [edited, GOOD[1]]), verbosity=0)
    page = ExperiencePage.objects.get(external_id="imp-solar", locale__language_code="en")
    assert page.live and page.title == "Solar schools" and page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == "Solar schools, second phase"
    assert page.workflow_in_progress
    assert not ExperiencePage.objects.get(external_id="imp-solar", locale__language_code="fr").workflow_in_progress
