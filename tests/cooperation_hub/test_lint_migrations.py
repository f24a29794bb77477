"""CI's migration check (`make lint-migrations`, issue #16): a migration added after the baseline
that a running site cannot take fails the check and says which and why; a safe one passes; a
migration deployed before the check (in the baseline) is not linted again. Run as CI runs it, on
whatever database the suite has (SQLite here, PostgreSQL in CI's first pass)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cooperation_hub.management.commands.lint_migrations import BASELINE, locking_statements, read_baseline

ROOT = Path(__file__).resolve().parents[2]

MODELS = """
from django.db import models


class Garden(models.Model):
    name = models.CharField(max_length=50)
    {extra}

    class Meta:
        app_label = "{app}"
"""

INITIAL = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Garden",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50)),
                ("size", models.IntegerField(null=True)),
            ],
        ),
    ]
"""

# A column dropped while the previous release, still serving during the deploy, reads it.
DROP = """
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("lintdanger", "0001_initial")]
    operations = [migrations.RemoveField(model_name="garden", name="size")]
"""

# A nullable column: the old code ignores it, the new code fills it.
ADD_NULLABLE = """
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("lintsafe", "0001_initial")]
    operations = [migrations.AddField(model_name="garden", name="note", field=models.TextField(null=True))]
"""

# An index built without CONCURRENTLY on the contributions table: writes stop while it builds.
LOCKING_INDEX = """
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("lintlock", "0001_initial"), ("contributions", "0001_initial")]
    operations = [
        migrations.RunSQL(
            'CREATE INDEX "lintlock_contribution_title" ON "contributions_contribution" ("title")',
            'DROP INDEX "lintlock_contribution_title"',
        )
    ]
"""


def _app(root: Path, app: str, second: str, second_name: str, extra: str = "size = models.IntegerField(null=True)"):
    package = root / app
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(MODELS.format(app=app, extra=extra))
    (package / "migrations" / "__init__.py").write_text("")
    (package / "migrations" / "0001_initial.py").write_text(INITIAL)
    (package / "migrations" / f"0002_{second_name}.py").write_text(second)


@pytest.mark.slow
def test_the_check_fails_on_a_new_unsafe_migration_and_passes_a_safe_one(tmp_path):
    _app(tmp_path, "lintdanger", DROP, "drop_size", extra="")
    _app(
        tmp_path,
        "lintsafe",
        ADD_NULLABLE,
        "note",
        extra="size = models.IntegerField(null=True)\n    note = models.TextField(null=True)",
    )
    _app(tmp_path, "lintlock", LOCKING_INDEX, "contribution_title")
    (tmp_path / "lint_settings.py").write_text(
        textwrap.dedent("""
        from tests.settings import *  # noqa: F403
        INSTALLED_APPS = [*INSTALLED_APPS, "lintdanger", "lintsafe", "lintlock"]  # noqa: F405
        """)
    )
    # The samples' first migrations were deployed before the check: in the baseline, not linted.
    baseline = tmp_path / "baseline.txt"
    baseline.write_text(
        BASELINE.read_text() + "lintdanger.0001_initial\nlintsafe.0001_initial\nlintlock.0001_initial\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "HUB_ISOLATED"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lint_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        HUB_VAR_DIR=str(tmp_path / "var"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "lint_migrations", "--baseline", str(baseline), "--no-cache"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "(lintdanger, 0002_drop_size)... ERR" in out and "DROPPING columns" in out
    assert "(lintsafe, 0002_note)... OK" in out
    assert "(lintlock, 0002_contribution_title)... ERR" in out and "locks a large table" in out
    assert "lintdanger, 0001_initial" not in out  # in the baseline
    assert "2 unsafe" in out and "AddIndexConcurrently" in out


def test_an_index_on_a_large_table_is_unsafe_unless_concurrent_or_on_a_new_table():
    large = {"contributions_contribution"}
    assert locking_statements(['CREATE INDEX "i" ON "contributions_contribution" ("title");'], large)
    assert locking_statements(['CREATE UNIQUE INDEX "i" ON "contributions_contribution" ("title");'], large)
    assert not locking_statements(['CREATE INDEX CONCURRENTLY "i" ON "contributions_contribution" ("title");'], large)
    assert not locking_statements(['CREATE INDEX "i" ON "partnerships_partnership" ("name");'], large)
    assert not locking_statements(
        [
            'CREATE TABLE "contributions_contribution" ("id" integer);',
            'CREATE INDEX "i" ON "contributions_contribution" ("id");',
        ],
        large,
    )


def test_the_baseline_lists_the_projects_migrations_deployed_before_the_check():
    baseline = read_baseline(BASELINE)
    assert ("contributions", "0001_initial") in baseline
    assert all(
        app
        in {
            "contributions",
            "cooperation_hub",
            "exchanges",
            "experiences",
            "lexicon",
            "partnerships",
            "search",
            "subscriptions",
        }
        for app, _ in baseline
    )
