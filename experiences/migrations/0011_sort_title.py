"""The title as the experience list sorts it A to Z, stored (ExperiencePage.save sets it) and
filled here for the reports already written, a thousand at a time. Nullable, so that the
release still serving during the deploy, which does not know the column, keeps writing pages."""

from django.db import migrations, models

from cooperation_hub.text import sort_key

BATCH = 1000


def fill(apps, schema_editor):
    ExperiencePage = apps.get_model("experiences", "ExperiencePage")
    batch = []
    for pk, title in ExperiencePage.objects.order_by("pk").values_list("pk", "title").iterator(chunk_size=BATCH):
        batch.append(ExperiencePage(pk=pk, sort_title=sort_key(title)))
        if len(batch) == BATCH:
            ExperiencePage.objects.bulk_update(batch, ["sort_title"])
            batch = []
    if batch:
        ExperiencePage.objects.bulk_update(batch, ["sort_title"])


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0010_vocabulary_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="experiencepage",
            name="sort_title",
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
