"""Partnerships depend on the older apps, never the reverse: they reach the older pages through
Wagtail hooks (docs/architecture.md). Only the demo loader names the app, to build the whole demo."""

import pytest

from tests.imports import ROOT, imported_modules

OLDER = ["experiences", "contributions", "search", "subscriptions", "lexicon", "iati", "cooperation_hub"]
ALLOWED = {ROOT / "cooperation_hub" / "demo" / "__init__.py"}


@pytest.mark.parametrize("app", OLDER)
def test_older_apps_do_not_import_partnerships(app):
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        and path not in ALLOWED
        and any(name.split(".")[0] == "partnerships" for name in imported_modules(path))
    ]
    assert offenders == []


def test_partnerships_import_no_newer_app():
    imported = {name.split(".")[0] for path in (ROOT / "partnerships").rglob("*.py") for name in imported_modules(path)}
    assert not imported & {"exchanges", "accounts"}
