"""Feeds carry plain-text summaries: a reader never takes them for HTML."""

import xml.etree.ElementTree as ET

import pytest

from experiences.models import ExperiencePage

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SUMMARY = 'Tested <img src=x onerror="alert(1)"> & <b>kept</b> as text'


@pytest.fixture
def newest(demo):
    page = ExperiencePage.objects.live().filter(locale__language_code="en").order_by("-first_published_at").first()
    ExperiencePage.objects.filter(pk=page.pk).update(summary=SUMMARY)
    page.refresh_from_db()
    return page


def test_atom_summaries_are_announced_as_text(client, newest):
    feed = ET.fromstring(client.get("/en/experiences/feed/atom/").content)
    entry = next(e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text == newest.title)
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text.endswith(SUMMARY)


def test_rss_descriptions_are_escaped_html(client, newest):
    channel = ET.fromstring(client.get("/en/experiences/feed/").content).find("channel")
    item = next(i for i in channel.findall("item") if i.find("title").text == newest.title)
    # RSS readers render the description as HTML: the text must arrive escaped.
    description = item.find("description").text
    assert "<img" not in description and "<b>" not in description
    assert description.endswith(
        "Tested &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;kept&lt;/b&gt; as text"
    )
