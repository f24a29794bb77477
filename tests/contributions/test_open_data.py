"""CSV and JSON exports of published contributions, and the synthesis page."""

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from contributions import charts
from contributions.models import Contribution, Reply, Support

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(consultation):
    author = make_member("auteur", display_name="Awa Ndiaye", city="Saint-Louis", organisation="Mairie")
    paris = ZoneInfo("Europe/Paris")
    first = make_contribution(
        consultation,
        author,
        title="Première, avec virgule",
        tags=["énergie", "écoles"],
        body="<p>Ligne <strong>un</strong></p>",
        section=consultation.sections.get(slug="alpha"),
        created_at=datetime(2024, 3, 1, 23, 30, tzinfo=paris),
    )
    second = make_contribution(consultation, author, title="Seconde", created_at=datetime(2024, 3, 2, 9, tzinfo=paris))
    withdrawn = make_contribution(consultation, author, title="Retirée", state=Contribution.State.WITHDRAWN)
    Support.objects.create(contribution=first, user=make_member("s"))
    Reply.objects.create(contribution=first, author=make_member("r"), body="<p>ok</p>")
    return {"author": author, "first": first, "second": second, "withdrawn": withdrawn}


def test_csv_export_has_published_contributions_and_no_personal_data(client, consultation, data):
    response = client.get(consultation.url + "export/csv/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["title"] for r in rows] == ["Première, avec virgule", "Seconde"]
    first = rows[0]
    assert first["author"] == "Awa Ndiaye" and first["tags"] == "écoles; énergie" and first["section"] == "alpha"
    assert first["text"] == "Ligne un" and first["supports"] == "1" and first["replies"] == "1"
    assert data["author"].email not in text and "Saint-Louis" not in text and "Mairie" not in text


def test_json_export_matches(client, consultation, data):
    payload = json.loads(client.get(consultation.url + "export/json/").content)
    assert payload["count"] == 2
    assert payload["consultation"]["question"] == consultation.question
    item = payload["contributions"][0]
    assert set(item) == {
        "id",
        "url",
        "language",
        "section",
        "title",
        "text",
        "tags",
        "author",
        "created_at",
        "updated_at",
        "supports",
        "replies",
    }
    assert item["url"].endswith(f"/fr/consultations/{consultation.slug}/contributions/{data['first'].pk}/")
    assert "email" not in json.dumps(payload)


def test_the_synthesis_page_has_an_accessible_chart_and_tables_in_both_languages(
    client, consultation, consultation_en, data
):
    html = client.get(consultation.url + "synthesis/").content.decode()
    assert '<svg role="img"' in html and "<desc" in html and "<table" in html
    assert "Contributions par semaine" in html and "Par mot-clé" in html and "Les plus soutenues" in html
    assert "Première, avec virgule" in html  # most supported
    assert "Retirée" not in html
    # Weeks from Monday in the consultation's time zone: 1 and 2 March 2024 fall in the week of 26 February.
    assert 'datetime="2024-02-26"' in html
    en = client.get(consultation_en.url + "synthesis/").content.decode()
    assert "Contributions per week" in en and "Most supported" in en


def test_the_synthesis_names_its_weeks_with_the_month_written_out_and_one_week_once(
    client, consultation, consultation_en, data
):
    """Read from outside the team: "11/23/2026" under the English chart, and a single week's
    date at both ends of its axis."""
    import re

    en = client.get(consultation_en.url + "synthesis/").content.decode()
    fr = client.get(consultation.url + "synthesis/").content.decode()
    axis = re.compile(r'<text x="[^"]+" y="[^"]+" font-size="11"(?: text-anchor="end")?>([^<]+)</text>')
    for html, monday in ((en, "26 February 2024"), (fr, "26 février 2024")):
        labels = axis.findall(html)[1:]  # the first is the scale's top figure
        assert labels == [monday], labels
        assert monday in html.split("<table", 1)[1]  # the tables name the week the same way
        assert "/2024" not in html


def test_the_bar_chart_scales_to_the_highest_day():
    from datetime import date

    chart = charts.bar_chart([(date(2024, 1, 1), 1), (date(2024, 1, 2), 4)])
    assert chart.max_value == 4
    low, high = chart.bars
    assert high.height == pytest.approx(low.height * 4) and high.y < low.y
    assert charts.bar_chart([]).bars == []
