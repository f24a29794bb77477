"""Reading IATI files in tests: parse, validate against the official schema, list facts."""

from lxml import etree

from iati.schema import schema_errors

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def assert_valid(data: bytes) -> etree._Element:
    root = parse(data)
    errors = schema_errors(root.getroottree())
    assert errors == [], errors
    return root


def identifiers(root: etree._Element) -> set[str]:
    return {element.text for element in root.iter("iati-identifier")}


def facts(root: etree._Element) -> dict[str, dict]:
    """What an activity says, by identifier, without what depends on the site (URLs, dates of publication)."""
    found = {}
    for activity in root.iter("iati-activity"):
        found[activity.findtext("iati-identifier")] = {
            "titles": sorted((n.get(XML_LANG), n.text) for n in activity.find("title")),
            "descriptions": sorted((n.get(XML_LANG), n.text) for n in activity.find("description")),
            "orgs": [o.findtext("narrative") for o in activity.findall("participating-org")],
            "status": activity.find("activity-status").get("code"),
            "dates": sorted(
                (d.get("type"), d.get("iso-date"))
                for d in activity.findall("activity-date")
                if d.find("narrative") is None
            ),
            "country": [c.get("code") for c in activity.findall("recipient-country")],
            "points": [p.text for p in activity.iter("pos")],
            "sectors": sorted((s.get("vocabulary"), s.get("code")) for s in activity.findall("sector")),
            "tags": sorted((t.get("vocabulary"), t.get("code")) for t in activity.findall("tag")),
        }
    return found
