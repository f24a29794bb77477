"""Dates and numbers the way the reader's language writes them.

``{% load hub_format %}``:

- ``{{ value|machine_datetime }}`` for <time datetime="…">: whole seconds, as
  HTML requires (Python's and Django's "c" keep microseconds, which HTML
  rejects: at most three digits of a second).
- ``{{ "2026-11-29T21:52:32.317904+00:00"|as_datetime|date:"DATE_FORMAT" }}``:
  an ISO string (what the search engine stores) turned back into a date so
  that Django's localized date formats apply ("29 novembre 2026").
"""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

register = template.Library()


@register.filter
def as_datetime(value: object) -> datetime | date | None:
    """A datetime (or a date) from an ISO 8601 string; other values as they are."""
    if isinstance(value, str):
        value = value.strip()
        parsed = parse_datetime(value)
        if parsed is None:
            return parse_date(value)
        return parsed
    return value  # type: ignore[return-value]


@register.filter
def machine_datetime(value: object) -> str:
    """A valid HTML datetime attribute: local time, whole seconds, with its offset."""
    value = as_datetime(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return ""
