"""The hub's reports as IATI 2.03 activities (one ``iati-activity`` per report).

A report and its translations share an ``external_id`` and a translation key:
they are one activity whose title and description carry one narrative per
language (``xml:lang``). Which reports: those visible to the public
(cooperation_hub/visibility.py) that the experience list's filters select,
in any language. The file is produced as a stream of bytes, one activity at a
time from chunked queries, so that memory stays flat however many reports the
hub holds (the API answers with a StreamingHttpResponse, the command writes
to a file). What each field becomes is in README.md, "IATI".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from lxml import etree

from cooperation_hub.sites import PageAddresses
from experiences import vocabulary
from experiences.models import City, ExperiencePage

from . import mapping
from .schema import VERSION

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHUNK_SIZE = 200
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
# The schema wants at least one activity-date; a report without a start year gets the
# day it was first published on the hub, said so in a narrative (the import skips it).
PUBLICATION_DATE_NOTE = "Start year not reported: date the report was first published on the hub."


def identifier(external_id: str) -> str:
    """The iati-identifier of a report: the publisher's organisation identifier, then the report's id."""
    return f"{settings.IATI_PUBLISHER_REF}-{external_id}"


def selected_queryset(params: Any | None = None) -> QuerySet:
    """Reports visible to the public matching the experience list's filters (every language).

    Invalid filter values are ignored as on the list; a refused search text raises
    ``ValueError`` with the reason (the API answers 400 with it).
    """
    from experiences.filters import filter_experiences

    base = ExperiencePage.objects.visible_to_public()
    if not params:
        return base
    result = filter_experiences(params, None, with_facets=False)
    if result.errors:
        raise ValueError("; ".join(f"{name}: {message}" for name, message in result.errors.items()))
    chosen = result.queryset
    if isinstance(chosen, QuerySet):
        return base.filter(pk__in=chosen.order_by().values("pk"))
    # A search (``q``) gives its hits in relevance order, not a queryset: take their ids.
    return base.filter(pk__in=list(chosen.queryset.values_list("pk", flat=True)))


def report_groups(selected: QuerySet) -> Iterator[list[ExperiencePage]]:
    """Each selected report with its public translations, read CHUNK_SIZE pages at a time."""
    keys = selected.order_by().values("translation_key")
    pages = (
        ExperiencePage.objects.visible_to_public()
        .filter(translation_key__in=keys)
        .select_related("city", "locale")
        .prefetch_related("themes", "sdgs", "tagged_items__tag", "partner_cities__city")
        .order_by("external_id", "translation_key", "locale__language_code")
    )
    for _key, group in groupby(pages.iterator(chunk_size=CHUNK_SIZE), key=lambda page: page.translation_key):
        yield list(group)


def _lead(pages: list[ExperiencePage]) -> ExperiencePage:
    """The translation whose facts (city, themes, status…) speak for the activity: the site's language first."""
    for page in pages:
        if page.locale.language_code == settings.LANGUAGE_CODE:
            return page
    return pages[0]


def _narrative(parent: etree._Element, text: str, language: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, "narrative")
    if language:
        element.set(XML_LANG, language)
    element.text = text
    return element


def _city_label(city: City) -> str:
    # Name and ISO country code: readable, and read back by the import (iati/importing.py).
    return f"{city.name} ({city.country})"


def _iso_datetime(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _split_percentages(count: int) -> list[str]:
    """Whole percentages summing to 100 (IATI's rule for several sectors of one vocabulary)."""
    share, rest = divmod(100, count)
    return [str(share + (1 if index < rest else 0)) for index in range(count)]


def activity_element(
    pages: list[ExperiencePage], address: Callable[[ExperiencePage], str] | None = None
) -> etree._Element:
    """One report (all its public translations) as an ``iati-activity`` element, in schema order."""
    lead = _lead(pages)
    activity = etree.Element("iati-activity")
    updated = [p.latest_revision_created_at or p.last_published_at for p in pages]
    updated = [moment for moment in updated if moment is not None]
    if updated:
        activity.set("last-updated-datetime", _iso_datetime(max(updated)))

    etree.SubElement(activity, "iati-identifier").text = identifier(lead.external_id)
    reporting = etree.SubElement(
        activity, "reporting-org", ref=settings.IATI_PUBLISHER_REF, type=settings.IATI_PUBLISHER_TYPE
    )
    _narrative(reporting, settings.IATI_PUBLISHER_NAME)

    title = etree.SubElement(activity, "title")
    description = etree.SubElement(activity, "description", type="1")  # General
    for page in pages:
        language = page.locale.language_code
        _narrative(title, page.title, language)
        _narrative(description, (page.summary or "").strip() or page.title, language)

    for city in [lead.city, *(partner.city for partner in lead.partner_cities.all())]:
        org = etree.SubElement(
            activity, "participating-org", role=mapping.ROLE_IMPLEMENTING, type=mapping.LOCAL_GOVERNMENT
        )
        _narrative(org, _city_label(city))

    etree.SubElement(activity, "activity-status", code=mapping.STATUS_CODE.get(lead.status, "2"))
    for date_type, iso_date, note in _dates(lead):
        date = etree.SubElement(activity, "activity-date", type=date_type)
        date.set("iso-date", iso_date)
        if note:
            _narrative(date, note, "en")

    etree.SubElement(activity, "recipient-country", code=lead.city.country)
    activity.append(_location(lead.city))

    themes = [theme.slug for theme in lead.themes.all() if theme.slug in mapping.SECTOR_FOR_THEME]
    for slug, percentage in zip(themes, _split_percentages(len(themes)) if themes else [], strict=True):
        etree.SubElement(
            activity,
            "sector",
            vocabulary=mapping.SECTOR_VOCABULARY_DAC5,
            code=mapping.SECTOR_FOR_THEME[slug],
            percentage=percentage,
        )
    sdg_labels = vocabulary.by_slug(vocabulary.SDGS)
    for goal in lead.sdgs.all():
        tag = etree.SubElement(activity, "tag", vocabulary=mapping.TAG_VOCABULARY_SDG_GOALS, code=str(goal.number))
        term = sdg_labels.get(str(goal.number))
        if term is not None:
            _narrative(tag, term.en, "en")
    for item in sorted(lead.tagged_items.all(), key=lambda item: item.tag.name.casefold()):
        tag = etree.SubElement(activity, "tag", vocabulary=mapping.TAG_VOCABULARY_OWN, code=item.tag.slug)
        _narrative(tag, item.tag.name)

    if lead.source_url:
        link = etree.SubElement(activity, "document-link", format="text/html", url=lead.source_url)
        _narrative(etree.SubElement(link, "title"), "Source", "en")
        etree.SubElement(link, "category", code=mapping.DOCUMENT_WEB_PAGE)
    for page in pages:
        url = (address or PageAddresses())(page)
        link = etree.SubElement(activity, "document-link", format="text/html", url=url)
        _narrative(etree.SubElement(link, "title"), page.title, page.locale.language_code)
        etree.SubElement(link, "category", code=mapping.DOCUMENT_WEB_PAGE)
        etree.SubElement(link, "language", code=page.locale.language_code)
    return activity


def _dates(page: ExperiencePage) -> list[tuple[str, str, str]]:
    """(IATI ActivityDateType, ISO date, note) from the report's status and years.

    Years only are known: a start is 1 January, an end 31 December. Planned
    dates (types 1 and 3) for what has not happened yet, actual ones (2 and 4)
    for what has.
    """
    dates: list[tuple[str, str, str]] = []
    if page.start_year:
        started = page.status != "planned"
        dates.append(("2" if started else "1", f"{page.start_year:04d}-01-01", ""))
    else:
        published = page.first_published_at or page.latest_revision_created_at or timezone.now()
        dates.append(("1", published.astimezone(UTC).date().isoformat(), PUBLICATION_DATE_NOTE))
    if page.end_year:
        ended = page.status == "completed"
        dates.append(("4" if ended else "3", f"{page.end_year:04d}-12-31", ""))
    return dates


def _location(city: City) -> etree._Element:
    location = etree.Element("location", ref=city.slug)
    etree.SubElement(location, "location-reach", code="1")  # Activity: the activity happens there
    from experiences.geonames import lookup

    match = lookup(city.name, city.country)
    if match is not None:
        etree.SubElement(location, "location-id", vocabulary=mapping.GEONAMES_VOCABULARY, code=str(match.geonameid))
    _narrative(etree.SubElement(location, "name"), city.name)
    if city.has_coordinates:
        point = etree.SubElement(location, "point", srsName=WGS84)
        etree.SubElement(point, "pos").text = f"{city.latitude:.5f} {city.longitude:.5f}"
        etree.SubElement(location, "exactness", code="1")  # Exact
    etree.SubElement(location, "location-class", code="2")  # Populated place
    etree.SubElement(location, "feature-designation", code="PPL")  # GeoNames: populated place
    return location


def stream(groups: Iterable[list[ExperiencePage]]) -> Iterator[bytes]:
    """An ``iati-activities`` document, activity by activity, as UTF-8 bytes (links on SITE_URL)."""
    address = PageAddresses()
    generated = _iso_datetime(timezone.now())
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<iati-activities version="{VERSION}" generated-datetime="{generated}">\n'
    ).encode()
    for pages in groups:
        yield etree.tostring(activity_element(pages, address), encoding="utf-8", pretty_print=True)
    yield b"</iati-activities>\n"


def export_bytes(params: Any | None = None) -> bytes:
    """The whole file at once (tests, small selections)."""
    return b"".join(stream(report_groups(selected_queryset(params))))
