"""The review workflow and its task are stored under their English name again: the admin
and the workflow e-mails show each person the name in their own language through the
catalogue (experiences.publishing.label), instead of "Relecture avant publication /
Review before publication" in both languages at once."""

from django.db import migrations

# Frozen here: experiences.publishing may rename them again later.
RENAMES = {
    "wagtailcore.Workflow": {"Relecture avant publication / Review before publication": "Review before publication"},
    "wagtailcore.Task": {"Relecture par un relecteur / Review by a reviewer": "Review by a reviewer"},
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
        ("experiences", "0007_vocabulary_labels_from_code"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, unrename)]
