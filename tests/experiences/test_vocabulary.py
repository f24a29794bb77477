"""The controlled vocabulary has one source, experiences/vocabulary.py: theme and SDG rows
keep only their key (for joins and counts) and read their labels from it."""

import importlib
from types import SimpleNamespace

import pytest
from django.utils import translation

from experiences import vocabulary
from experiences.models import SustainableDevelopmentGoal, Theme

migration = importlib.import_module("experiences.migrations.0007_vocabulary_labels_from_code")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "terms", "key"),
    [(Theme, vocabulary.THEMES, "slug"), (SustainableDevelopmentGoal, vocabulary.SDGS, "number")],
)
def test_every_row_reads_its_labels_from_the_vocabulary(model, terms, key):
    rows = {str(getattr(row, key)): row for row in model.objects.all()}
    assert sorted(rows) == sorted(term.slug for term in terms)
    for term in terms:
        with translation.override("fr"):
            assert rows[term.slug].label == term.fr
        with translation.override("en"):
            assert rows[term.slug].label == term.en
    assert not {"name_en", "name_fr"} & {field.name for field in model._meta.get_fields()}


@pytest.mark.django_db
def test_a_french_label_keeps_its_typography():
    with translation.override("fr"):
        assert str(SustainableDevelopmentGoal.objects.get(number=2)) == "2. Faim « zéro »"
        assert str(Theme.objects.get(slug="energy-climate")) == "Énergie, climat"


class _Rows:
    def __init__(self, rows):
        self.rows = rows

    def all(self):
        return self.rows


def _apps(themes, goals):
    models = {
        "Theme": SimpleNamespace(__name__="Theme", objects=_Rows(themes)),
        "SustainableDevelopmentGoal": SimpleNamespace(__name__="SustainableDevelopmentGoal", objects=_Rows(goals)),
    }
    return SimpleNamespace(get_model=lambda app, name: models[name])


def test_the_migration_refuses_to_drop_a_label_the_vocabulary_does_not_hold():
    same = SimpleNamespace(slug="energy-climate", name_en="Energy & climate", name_fr="Énergie, climat")
    migration.check_labels_are_the_vocabulary(_apps([same], []), None)  # nothing would be lost: goes on

    edited = SimpleNamespace(number=7, name_en="Clean energy", name_fr="Énergie propre et d'un coût abordable")
    unknown = SimpleNamespace(slug="space", name_en="Space", name_fr="Espace")
    with pytest.raises(RuntimeError, match="Clean energy") as error:
        migration.check_labels_are_the_vocabulary(_apps([same, unknown], [edited]), None)
    assert "Espace" in str(error.value)
