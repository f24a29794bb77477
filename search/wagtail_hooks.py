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


@hooks.register("experiences_import_context")
def deferred_comparable_refresh() -> AbstractContextManager[None]:
    """Around an import: one refresh of the comparable projects at the end, not one per report."""
    from .comparable_store import deferred_refresh

    return deferred_refresh()
