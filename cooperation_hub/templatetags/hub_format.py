"""Dates and numbers the way the reader's language writes them.

``{% load hub_format %}``:

- ``{{ value|machine_datetime }}`` for <time datetime="…">: whole seconds, as
  HTML requires (Python's and Django's "c" keep microseconds, which HTML
  rejects: at most three digits of a second).
- ``{{ "2026-11-29T21:52:32.317904+00:00"|as_datetime|date:"DATE_FORMAT" }}``:
  an ISO string (what the search engine stores) turned back into a date so
  that Django's localized date formats apply ("29 novembre 2026").
- ``{{ value|local_date:"j F Y" }}`` (default ``DATE_FORMAT``): Django's ``date``
  filter, but French writes the first of the month "1er décembre", not "1 décembre".
- ``{{ labels|names }}``: names for a sentence, with semicolons between them when one holds
  a comma ("Universités, recherche ; Habitants"): ``cooperation_hub.text.name_list``.
- ``{{ sentence|elided }}``: French "de"/"que" elided before a name that starts with a vowel
  ("Villes pairs d’Annecy"): ``cooperation_hub.text.elide``.
"""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_date, parse_datetime

from cooperation_hub.text import elide, name_list

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


def ordinal_first_of_month(format_string: str) -> str:
    """``format_string`` with its day of the month ("j", unescaped) written "1er":
    for French, on a date that is the first of its month."""
    out, escaped = [], False
    for char in format_string:
        if escaped:
            out.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "j":
            out.append(r"1\e\r")  # "e" and "r" are format characters: escaped
        else:
            out.append(char)
    return "".join(out)


def local_date_format(value: date | datetime, format_name: str = "DATE_FORMAT") -> str:
    """``value`` in the active language's format (a format name like "DATE_FORMAT" or
    a format string like "j F Y"), French "1er" on the first of the month: the one
    place the site's day-month dates are written (templates: ``|local_date``)."""
    format_string = formats.get_format(format_name) if format_name.isupper() else format_name
    if value.day == 1 and (translation.get_language() or "").split("-")[0] == "fr":
        format_string = ordinal_first_of_month(format_string)
    return formats.date_format(value, format_string)


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value: object, format_name: str = "DATE_FORMAT") -> str:
    """Django's ``date`` filter with French "1er": ``{{ value|local_date:"j F Y" }}``."""
    if not isinstance(value, (date, datetime)):
        return ""
    return local_date_format(value, format_name)


@register.filter
def names(values: object) -> str:
    """The names of ``values`` joined for a sentence in the active language (see the module's docstring)."""
    return name_list(str(value) for value in values or [])  # type: ignore[attr-defined]


@register.filter(is_safe=True)
def elided(text: object) -> str:
    """``text`` with French elisions before a vowel (see the module's docstring); adds no markup."""
    return elide(str(text))
