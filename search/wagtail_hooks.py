"""What the search adds to the experiences app, through Wagtail hooks.

``experiences`` sits below ``search`` and imports nothing from it (docs/architecture.md):
it asks for these by hook name, and works without them.
"""

from contextlib import AbstractContextManager
from typing import Any

from wagtail import hooks


@hooks.register("experiences_comparable_projects")
def comparable_projects(page: Any, language: str) -> list[Any]:
    """The officer dashboard's comparable projects of a published report (search/comparable.py)."""
    from .comparable import comparable_projects

    return comparable_projects(page, language)


@hooks.register("experiences_search_query")
def report_search_query(words: Any) -> tuple[Any, str]:
    """The experience list's ``?q=`` as the search page asks it (search/database.py): each word
    light-stemmed and translated by the lexicon, so a French query finds English reports too, and
    every word required, since it narrows the list; with the lexicon's generation, which the list's
    kept hits depend on."""
    from lexicon.lexicon import generation

    from .database import database_query

    return database_query(words, every_word=True), generation() or ""


@hooks.register("experiences_import_context")
def deferred_comparable_refresh() -> AbstractContextManager[None]:
    """Around an import: one refresh of the comparable projects at the end, not one per report."""
    from .comparable_store import deferred_refresh

    return deferred_refresh()
