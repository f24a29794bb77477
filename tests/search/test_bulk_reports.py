"""The benchmarks' bulk path (bench/search/bulk.py) leaves the reports the real importer
would: the same fields, relations, tree and translations, served and found alike; so a
figure measured on 100,000 bulk-written reports is a figure about the product."""

import json

import pytest
from django.db import transaction
from wagtail.models import Page

from bench.search.bulk import create_reports
from bench.search.generate import records
from experiences.importer import import_records, read_records
from experiences.models import ExperiencePage

pytestmark = pytest.mark.django_db
COUNT = 24


class _Undo(Exception):
    pass


def _described() -> list[tuple]:
    rows = []
    reports = ExperiencePage.objects.filter(external_id__startswith="bench-search-").select_related("city", "locale")
    for page in reports.order_by("external_id", "locale__language_code"):
        languages = sorted(
            ExperiencePage.objects.filter(translation_key=page.translation_key).values_list(
                "locale__language_code", flat=True
            )
        )
        rows.append((
            page.external_id, page.locale.language_code, page.title, page.slug, page.url_path, page.depth, page.live,
            page.summary, page.lessons, page.body.raw_data[0]["value"], page.city.name, page.status, page.start_year,
            sorted(page.themes.values_list("slug", flat=True)), sorted(page.sdgs.values_list("number", flat=True)),
            [item.tag.name for item in page.tagged_items.select_related("tag").order_by("pk")], languages,
            page.import_fingerprint,
        ))  # fmt: skip
    return rows


def test_bulk_written_reports_are_the_imported_ones(client, demo):
    try:
        with transaction.atomic():
            valid, errors = read_records(json.dumps(r, ensure_ascii=False) for r in records(COUNT))
            assert not errors
            report = import_records(valid, publish=True)
            assert report.created == COUNT
            imported = _described()
            assert len(imported) == COUNT
            raise _Undo
    except _Undo:
        pass
    assert create_reports(records(COUNT), progress=False) == COUNT
    assert _described() == imported
    problems = Page.find_problems()  # treebeard: bad characters, step lengths, orphans, depths, child counts
    assert not any(problems), problems
    # Written again: nothing more.
    assert create_reports(records(COUNT), progress=False) == 0


def test_a_bulk_written_report_is_served_in_its_language(client, demo):
    create_reports(records(4), progress=False)
    page = ExperiencePage.objects.get(external_id="bench-search-000001", locale__language_code="fr")
    response = client.get(page.url)
    assert response.status_code == 200
    assert page.title in response.content.decode()
    english = page.get_translation(page.locale.__class__.objects.get(language_code="en"))
    assert client.get(english.url).status_code == 200
