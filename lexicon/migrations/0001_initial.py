from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="LexiconEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("french", models.CharField(max_length=120, verbose_name="French")),
                ("english", models.CharField(max_length=120, verbose_name="English")),
                ("enabled", models.BooleanField(
                    default=True,
                    help_text="Untick to remove this pair from the lexicon (a wrong translation in the shipped data).",
                    verbose_name="enabled")),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "lexicon pair",
                "verbose_name_plural": "lexicon pairs",
                "ordering": ["french", "english"],
                "constraints": [models.UniqueConstraint(fields=("french", "english"), name="lexicon_entry_unique_pair")],
            },
        ),
    ]
