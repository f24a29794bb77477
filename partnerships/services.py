"""Starting a partnership: the one entry point other apps (exchanges) call.

``start_partnership`` takes cities, themes, SDGs and reports as objects or as their
keys (city pk, theme slug, SDG number, page pk), checks everything before writing,
and writes the partnership with its rows in one transaction: a bad value raises
``django.core.exceptions.ValidationError`` and nothing is stored.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experiences.models import City, ExperiencePage, SustainableDevelopmentGoal, Theme

from .models import Partnership, PartnershipCity


def start_partnership(
    *,
    cities: Iterable[City | int],
    themes: Iterable[Theme | str] = (),
    sdgs: Iterable[SustainableDevelopmentGoal | int] = (),
    kind: str,
    reports: Iterable[ExperiencePage | int] = (),
    started_by=None,
    status: str = Partnership.Status.EXPLORING,
    title: str = "",
    description: str = "",
    title_fr: str = "",
    title_en: str = "",
    description_fr: str = "",
    description_en: str = "",
    start_date: datetime.date | None = None,
    is_public: bool = False,
) -> Partnership:
    """A new partnership between ``cities`` (two or more distinct ones), started today unless told.

    Themes are Theme objects or slugs, SDGs objects or numbers, cities and reports objects or pks.
    Not shown to the public until an editor (or ``is_public``) says so. ``title`` and ``description``
    (one text for both languages) fill the languages not given their own."""
    errors: dict[str, str] = {}
    if kind not in Partnership.Kind.values:
        errors["kind"] = _("Unknown kind of partnership: %(value)s") % {"value": kind}
    if status not in Partnership.Status.values:
        errors["status"] = _("Unknown status: %(value)s") % {"value": status}
    if errors:
        raise ValidationError(errors)
    city_objects = _by_key(City, cities, "pk", "cities")
    if len(city_objects) < 2:
        raise ValidationError({"cities": _("A partnership joins at least two different cities.")})
    theme_objects = _by_key(Theme, themes, "slug", "themes")
    sdg_objects = _by_key(SustainableDevelopmentGoal, sdgs, "number", "sdgs")
    report_objects = _by_key(ExperiencePage, reports, "pk", "reports")

    with transaction.atomic():
        partnership = Partnership(
            title_fr=title_fr or title,
            title_en=title_en or title,
            description_fr=description_fr or description,
            description_en=description_en or description,
            kind=kind,
            status=status,
            start_date=start_date or timezone.localdate(),
            started_by=started_by if getattr(started_by, "pk", None) else None,
            is_public=is_public,
        )
        partnership.save()
        PartnershipCity.objects.bulk_create(
            PartnershipCity(partnership=partnership, city=city, sort_order=order)
            for order, city in enumerate(city_objects)
        )
        partnership.themes.set(theme_objects)
        partnership.sdgs.set(sdg_objects)
        partnership.reports.set(report_objects)
        partnership.save()  # commits the parental many-to-many relations
    return partnership


def _by_key(model, values: Iterable[Any], key: str, field: str) -> list:
    """Objects of ``model`` given as instances or by ``key`` (slug, number), in order, once each."""
    keys = [getattr(v, key) if isinstance(v, model) else v for v in values]
    if key in ("pk", "number"):
        try:
            keys = [int(k) for k in keys]
        except (TypeError, ValueError):
            raise ValidationError({field: _("Expected numbers.")}) from None
    found = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": keys})}
    missing = [k for k in keys if k not in found]
    if missing:
        raise ValidationError({field: _("Unknown value(s): %(values)s") % {"values": ", ".join(map(str, missing))}})
    return list(dict.fromkeys(found[k] for k in keys))
