"""Themes and SDGs keep only their key: their labels are read from experiences/vocabulary.py.

The label columns were a copy of the vocabulary (seeded by 0002, never editable). Before
dropping them, refuse to go on if a row says something the vocabulary does not, so no
label is lost silently; going back refills them from the vocabulary.
"""

from django.db import migrations, models


def _vocabulary():
    from experiences.vocabulary import SDGS, THEMES, by_slug

    return by_slug(THEMES), by_slug(SDGS)


def check_labels_are_the_vocabulary(apps, schema_editor):
    themes, sdgs = _vocabulary()
    Theme = apps.get_model("experiences", "Theme")
    Goal = apps.get_model("experiences", "SustainableDevelopmentGoal")
    differ = []
    for model, terms, key in ((Theme, themes, "slug"), (Goal, sdgs, "number")):
        for row in model.objects.all():
            term = terms.get(str(getattr(row, key)))
            if term is None or (row.name_en, row.name_fr) != (term.en, term.fr):
                differ.append(f"{model.__name__} {getattr(row, key)}: {row.name_en!r} / {row.name_fr!r}")
    if differ:
        raise RuntimeError(
            "These labels differ from experiences/vocabulary.py; write them there before migrating: "
            + "; ".join(differ)
        )


def refill_labels(apps, schema_editor):
    themes, sdgs = _vocabulary()
    Theme = apps.get_model("experiences", "Theme")
    Goal = apps.get_model("experiences", "SustainableDevelopmentGoal")
    for model, terms, key in ((Theme, themes, "slug"), (Goal, sdgs, "number")):
        for row in model.objects.all():
            term = terms.get(str(getattr(row, key)))
            if term is not None:
                row.name_en, row.name_fr = term.en, term.fr
                row.save(update_fields=["name_en", "name_fr"])


class Migration(migrations.Migration):
    dependencies = [("experiences", "0006_media")]
    operations = [
        migrations.RunPython(check_labels_are_the_vocabulary, refill_labels),
        # A default only so that going back can add the columns to existing rows (then refilled).
        *(
            migrations.AlterField(model_name=model, name=name, field=models.CharField(max_length=120, default=""))
            for model in ("theme", "sustainabledevelopmentgoal")
            for name in ("name_en", "name_fr")
        ),
        migrations.RemoveField(model_name="theme", name="name_en"),
        migrations.RemoveField(model_name="theme", name="name_fr"),
        migrations.RemoveField(model_name="sustainabledevelopmentgoal", name="name_en"),
        migrations.RemoveField(model_name="sustainabledevelopmentgoal", name="name_fr"),
    ]
