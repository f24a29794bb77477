"""The project package keeps the mechanisms; each domain app plugs its own rules in
(page-cache invalidation, header navigation, public tags), so these modules of
cooperation_hub import no domain app (docs/architecture.md)."""

import ast

import pytest

from tests.imports import ROOT, imported_modules

DOMAIN_APPS = {"experiences", "contributions", "search", "subscriptions"}


@pytest.mark.parametrize("module", ["page_cache.py", "page_cache_signals.py", "context_processors.py"])
def test_the_mechanism_imports_no_domain_app(module):
    imported = imported_modules(ROOT / "cooperation_hub" / module)
    assert imported  # the file was read
    assert [name for name in imported if name.split(".")[0] in DOMAIN_APPS] == []


def test_public_tags_do_not_import_the_domain_apps_either():
    source = (ROOT / "cooperation_hub" / "visibility.py").read_text(encoding="utf-8")
    public_tags = next(
        node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef) and node.name == "public_tags"
    )
    modules = [node.module for node in ast.walk(public_tags) if isinstance(node, ast.ImportFrom)]
    assert modules and not [m for m in modules if m.split(".")[0] in DOMAIN_APPS]
