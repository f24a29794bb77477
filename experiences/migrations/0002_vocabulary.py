from django.db import migrations


def load_vocabulary(apps, schema_editor):
    from experiences.vocabulary import SDGS, THEMES

    Theme = apps.get_model("experiences", "Theme")
    Goal = apps.get_model("experiences", "SustainableDevelopmentGoal")
    for term in THEMES:
        Theme.objects.update_or_create(slug=term.slug, defaults={"name_en": term.en, "name_fr": term.fr})
    for term in SDGS:
        Goal.objects.update_or_create(number=int(term.slug), defaults={"name_en": term.en, "name_fr": term.fr})


class Migration(migrations.Migration):
    dependencies = [("experiences", "0001_initial")]
    operations = [migrations.RunPython(load_vocabulary, migrations.RunPython.noop)]
