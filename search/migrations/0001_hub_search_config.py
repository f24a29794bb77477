"""PostgreSQL: the accent-folding text search configuration of the database search backend.

``hub_search`` is the 'simple' configuration (no stemming, so French and English
text are treated alike) with ``unaccent`` in front: "bethune" finds "Béthune".
settings.py points WAGTAILSEARCH_BACKENDS["database"]["SEARCH_CONFIG"] at it.
unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it.
Nothing happens on SQLite, whose FTS5 tokenizer already folds accents.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'hub_search') THEN
        CREATE TEXT SEARCH CONFIGURATION hub_search (COPY = pg_catalog.simple);
        ALTER TEXT SEARCH CONFIGURATION hub_search
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    END IF;
END
$$;
"""

DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS hub_search;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(forwards, backwards)]
