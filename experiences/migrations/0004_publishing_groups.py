"""The two publishing groups. Their permissions and the review workflow are set
by experiences.publishing.ensure_review_setup() after migrate and whenever an
experiences index page is created, because both need pages and permissions
that do not exist yet while migrations run on a fresh database."""

from django.db import migrations

GROUPS = ("Cooperation officers", "Reviewers")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0003_import_fingerprint"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
