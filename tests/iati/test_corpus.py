"""A generated corpus of reports (bench/import/generate.py) exports valid against the official schema."""

import importlib
import json

import pytest
from django.test import override_settings

from experiences.importer import import_lines
from experiences.models import ExperiencePage
from iati.export import export_bytes

from .helpers import assert_valid, identifiers

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
generate = importlib.import_module("bench.import.generate")  # "import" is a keyword: no plain import


# Sixty reports already draw every city, theme, status, actor and goal the generator knows (checked
# below): more would only import the same shapes again (200 took over two minutes of CI).
REPORTS = 60


@override_settings(IATI_PUBLISHER_REF="XX-CORPUS")
def test_sixty_generated_reports_in_two_languages_export_valid():
    records = list(generate.records(2 * REPORTS, seed=14))
    assert {r["city"] for r in records} == {c[0] for c in generate.CITIES}
    assert {t for r in records for t in r["themes"]} == set(generate.THEMES)
    assert {r["status"] for r in records} == set(generate.STATUSES)
    assert {a for r in records for a in r["actors"]} == set(generate.ACTORS)
    assert {g for r in records for g in r["sdgs"]} == set(range(1, 18))
    import_lines([json.dumps(r, ensure_ascii=False) for r in records], publish=True)
    root = assert_valid(export_bytes({"tag": "", "q": ""}))
    public = set(ExperiencePage.objects.visible_to_public().values_list("external_id", flat=True))
    assert identifiers(root) == {f"XX-CORPUS-{eid}" for eid in public}
    assert sum(1 for eid in public if eid.startswith("bench-")) == REPORTS
    bilingual = [a for a in root.iter("iati-activity") if a.findtext("iati-identifier").startswith("XX-CORPUS-bench")]
    assert all(len(a.find("title")) == 2 for a in bilingual)
