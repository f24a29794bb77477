"""A JSON Lines file with hostile lines among good ones imports nothing and says
which lines are wrong; hostile text in an otherwise valid line is stored
harmless or refused, never half-written."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from experiences.models import City, ExperiencePage
from tests.hostile import (
    HOSTILE,
    any_hostile_text,
    database_search_only,  # noqa: F401 - fixture
    executable_markup,
    invalid_utf8,
    script_text,
    too_long,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search_only")]

GOOD = {
    "external_id": "hostile-good-line",
    "language": "en",
    "title": "A good line",
    "summary": "Fine.",
    "city": "Dakar",
    "country": "SN",
}
BROKEN_LINES = st.one_of(
    st.sampled_from(
        [
            '{"external_id": ',
            "[1, 2, 3]",
            "null",
            '"just a string"',
            "{'single': 'quotes'}",
            "{}",
            '{"external_id": ["a", "list"], "language": "en"}',
            '{"title": {"nested": true}}',
        ]
    ),
    st.builds(
        lambda field, value: json.dumps({**GOOD, "external_id": "hostile-bad", field: value}),
        st.sampled_from(["latitude", "population", "sdgs", "themes", "start_year", "country", "language"]),
        st.one_of(st.just("abc"), st.just(-1), st.just([None]), st.just({"a": 1}), st.just(10**30), any_hostile_text),
    ),
    st.builds(
        lambda value: json.dumps({**GOOD, "external_id": "hostile-bad", "title": value}),
        st.one_of(too_long(255), st.just("\x00"), st.just("")),
    ),
)


def _import(tmp_path, content: bytes):
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(content)
    err = StringIO()
    call_command("import_experiences", path, stdout=StringIO(), stderr=err, verbosity=0)
    return err.getvalue()


def _counts():
    return ExperiencePage.objects.count(), City.objects.count()


@given(line=BROKEN_LINES)
@HOSTILE
def test_a_hostile_line_among_good_ones_imports_nothing_and_is_named(tmp_path, demo, line):
    before = _counts()
    good = json.dumps(GOOD)
    content = f"{good}\n{line}\n".encode()
    try:
        _import(tmp_path, content)
    except CommandError:
        assert _counts() == before
        assert not ExperiencePage.objects.filter(external_id="hostile-good-line").exists()
    else:
        # Only a line whose hostile value is harmless text may pass, and then both lines are in.
        assert ExperiencePage.objects.filter(external_id="hostile-good-line").exists()


@given(raw=invalid_utf8)
@HOSTILE
def test_invalid_utf8_is_refused_with_its_byte_and_nothing_is_written(tmp_path, demo, raw):
    before = _counts()
    with pytest.raises(CommandError, match="not UTF-8"):
        _import(tmp_path, json.dumps(GOOD).encode() + b"\n" + b'{"title": "' + raw + b'"}\n')
    assert _counts() == before


@given(text=script_text)
@HOSTILE
def test_markup_in_an_imported_body_never_reaches_the_page_as_code(client, tmp_path, demo, text):
    record = {
        **GOOD,
        "external_id": "hostile-markup",
        "title": "Markup",
        "summary": text,
        "body": text,
        "lessons": text,
    }
    _import(tmp_path, json.dumps(record).encode() + b"\n")
    page = ExperiencePage.objects.get(external_id="hostile-markup")
    assert executable_markup(client.get(page.url).content.decode()) == []
