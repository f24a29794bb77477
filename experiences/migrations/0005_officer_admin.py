"""The external ID may be left empty (derived from the title), and the publishing
groups, the review workflow and its task get names that read in both admin
languages: Wagtail shows them as stored (e.g. "Soumettre à <workflow>")."""

from django.db import migrations, models

# Frozen here: experiences.publishing may rename them again later.
RENAMES = {
    "auth.Group": {
        "Cooperation officers": "Chargés de coopération / Cooperation officers",
        "Reviewers": "Relecteurs / Reviewers",
    },
    "wagtailcore.Workflow": {"Review before publication": "Relecture avant publication / Review before publication"},
    "wagtailcore.Task": {"Review by a reviewer": "Relecture par un relecteur / Review by a reviewer"},
}


def rename(apps, schema_editor, reverse=False):
    for model_name, names in RENAMES.items():
        model = apps.get_model(model_name)
        for old, new in names.items():
            if reverse:
                old, new = new, old
            # Left alone when the target name is already taken (set up by hand): never merge two rows.
            if not model.objects.filter(name=new).exists():
                model.objects.filter(name=old).update(name=new)


def unrename(apps, schema_editor):
    rename(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0004_publishing_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterField(
            model_name="experiencepage",
            name="external_id",
            field=models.SlugField(
                blank=True,
                db_index=True,
                help_text="Stable identifier shared by the translations of this report, used by imports and the API. "
                "Leave empty to derive it from the title.",
                max_length=120,
                verbose_name="external ID",
            ),
        ),
        migrations.RunPython(rename, unrename),
    ]
