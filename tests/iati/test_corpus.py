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


@override_settings(IATI_PUBLISHER_REF="XX-CORPUS")
def test_two_hundred_generated_reports_in_two_languages_export_valid():
    lines = [json.dumps(r, ensure_ascii=False) for r in generate.records(400, seed=14)]
    import_lines(lines, publish=True)
    root = assert_valid(export_bytes({"tag": "", "q": ""}))
    public = set(ExperiencePage.objects.visible_to_public().values_list("external_id", flat=True))
    assert identifiers(root) == {f"XX-CORPUS-{eid}" for eid in public}
    assert sum(1 for eid in public if eid.startswith("bench-")) == 200
    bilingual = [a for a in root.iter("iati-activity") if a.findtext("iati-identifier").startswith("XX-CORPUS-bench")]
    assert all(len(a.find("title")) == 2 for a in bilingual)
