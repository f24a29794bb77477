"""A partnership's title and description in both languages (issue #13).

The one-language fields become the French ones and keep their columns (``db_column``: nothing
is renamed under a running site); the English ones are added, and the existing text, written
in either language, is copied into them, so that both pages show it until someone translates it.
The English columns have a default in the database: the release before inserts rows without them.
Published partnerships keep the moment they were first made public (the field's label only).
"""

from django.db import migrations, models
from django.db.models import F


def copy_to_english(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    Partnership.objects.update(title_en=F("title_fr"), description_en=F("description_fr"))


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0004_partnership_published_at"),
    ]

    operations = [
        # Safe on a running site: on PostgreSQL (production, and what `make lint-migrations` reads
        # in CI) the two columns are added with DEFAULT '' (no rewrite, and the release before,
        # which inserts rows without them, keeps working); nothing is renamed or dropped (the
        # French fields keep the old columns). SQLite rebuilds the table for any NOT NULL column:
        # a table of a few rows on the embedded default.
        migrations.AlterField(
            model_name="partnership",
            name="title",
            field=models.CharField(
                blank=True,
                db_column="title",
                help_text="Leave both titles empty to name it after its cities.",
                max_length=200,
                verbose_name="title in French",
            ),
        ),
        migrations.RenameField(model_name="partnership", old_name="title", new_name="title_fr"),
        migrations.AlterField(
            model_name="partnership",
            name="description",
            field=models.TextField(blank=True, db_column="description", verbose_name="description in French"),
        ),
        migrations.RenameField(model_name="partnership", old_name="description", new_name="description_fr"),
        migrations.AddField(
            model_name="partnership",
            name="title_en",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=200, verbose_name="title in English"
            ),
        ),
        migrations.AddField(
            model_name="partnership",
            name="description_en",
            field=models.TextField(blank=True, db_default="", default="", verbose_name="description in English"),
        ),
        migrations.AlterField(
            model_name="partnership",
            name="published_at",
            field=models.DateTimeField(
                blank=True, db_index=True, editable=False, null=True, verbose_name="first made public"
            ),
        ),
        migrations.RunPython(copy_to_english, migrations.RunPython.noop),
    ]
