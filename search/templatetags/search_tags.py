"""{% comparable_projects page as items %}: the comparable projects of an experience report."""

import logging
from dataclasses import replace
from typing import Any

from django import template
from django.utils.translation import get_language

from experiences.translation import for_reader
from search.comparable import ComparableProject
from search.comparable_store import comparable_for

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def comparable_projects(page: Any, index: Any = None, limit: int = 5) -> list[ComparableProject]:
    """The stored list (search/comparable_store.py; worked out now if none is stored yet), as the
    reader of ``index`` should get it: a project of the other language in its translation, or,
    untranslated, at its address under ``index`` with a notice (experiences.translation.for_reader).
    Never breaks the page it is on: any failure gives an empty list (and a log line)."""
    if page is None or not getattr(page, "pk", None):
        return []
    try:
        items = comparable_for(page, (get_language() or "fr")[:2], limit=limit)
        if index is None:
            return items
        by_key = {item.page.translation_key: item for item in items}
        targets = for_reader(index, [item.page for item in items])
        # Never the report itself, in its other language.
        return [
            replace(by_key[target.translation_key], page=target)
            for target in targets
            if target.translation_key != page.translation_key
        ]
    except Exception:
        logger.exception("Comparable projects of page %s failed", getattr(page, "pk", None))
        return []
