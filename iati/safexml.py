"""Reading XML that comes from outside without trusting it.

An IATI file is parsed by lxml with entity resolution, DTD loading and network
access off, and libxml2's size limits on (``huge_tree=False``). A document
type declaration is refused outright before parsing (it is where external
entities and entity-expansion bombs are declared; IATI files never need one).
Large files are read with ``iterparse``, one element at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

HEAD_BYTES = 64 * 1024
_PROLOG_SKIP = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)


class UnsafeXML(ValueError):
    """The file is refused before anything is read from it: the reason says why."""


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    return head.decode("latin-1")


def check_prolog(head: bytes) -> None:
    """Refuse a document type declaration (and anything that is not XML markup) before the root element."""
    text = _decode_head(head).lstrip("\ufeff")
    position = 0
    while True:
        match = _PROLOG_SKIP.match(text, position)
        if not match:
            break
        position = match.end()
    rest = text[position : position + 9]
    if rest.upper().startswith("<!DOCTYPE"):
        raise UnsafeXML(
            "the file declares a DTD (<!DOCTYPE …>): refused, as DTDs carry external entities and "
            "entity-expansion bombs, and IATI files never need one"
        )
    if rest and not rest.startswith("<"):
        raise UnsafeXML("not an XML file (it does not start with an XML element)")


def parser_options() -> dict:
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def parse_bytes(data: bytes) -> etree._ElementTree:
    """A whole small document (tests, a single activity), with the same guards."""
    check_prolog(data[:HEAD_BYTES])
    options = parser_options()
    options.pop("dtd_validation")
    parser = etree.XMLParser(**options)
    return etree.ElementTree(etree.fromstring(data, parser))


def iter_elements(handle: BinaryIO) -> Iterator[tuple[str, etree._Element]]:
    """("start"|"end", element) events of a file read in pieces; the file's head is checked first."""
    head = handle.read(HEAD_BYTES)
    check_prolog(head)
    handle.seek(0)
    context = etree.iterparse(handle, events=("start", "end"), **parser_options())
    checked = False
    for event, element in context:
        if not checked:
            # Belt and braces: libxml2's own record of a document type declaration.
            if element.getroottree().docinfo.doctype:
                raise UnsafeXML("the file declares a DTD (<!DOCTYPE …>): refused")
            checked = True
        yield event, element
