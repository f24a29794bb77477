"""{% comparable_projects page as items %}: the comparable projects of an experience report."""

import logging
from typing import Any

from django import template
from django.utils.translation import get_language

from search.comparable import ComparableProject
from search.comparable_store import comparable_for

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def comparable_projects(page: Any, limit: int = 5) -> list[ComparableProject]:
    """The stored list (search/comparable_store.py; worked out now if none is stored yet).
    Never breaks the page it is on: any failure gives an empty list (and a log line)."""
    if page is None or not getattr(page, "pk", None):
        return []
    try:
        return comparable_for(page, (get_language() or "fr")[:2], limit=limit)
    except Exception:
        logger.exception("Comparable projects of page %s failed", getattr(page, "pk", None))
        return []
