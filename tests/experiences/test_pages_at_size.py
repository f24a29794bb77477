"""What keeps the public pages cheap at 10,000 reports (issue #12, bench/pages) changes
nothing a reader sees: the city page is paginated and lists every report once, newest
first; the list's count, the map's cities and the peers' corpus kept under the site's
generation follow a publication at once; the list's pages stay few links; and the
pages cost as many queries with one page of reports as with several."""

import re

import pytest

from experiences import views
from experiences.models import City
from tests.experiences.test_page_costs import queries_for
from tests.hostile import database_search_only  # noqa: F401 - fixture

from .helpers import import_records, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search_only")]


def _reports(start: int, count: int, city: str = "Sizeville") -> None:
    import_records(*[
        record(f"size-{i}", city=city, country="SN", latitude=14.0, longitude=-16.0, population=90_000,
               themes=["energy-climate"], sdgs=[7], tags=["sizeprobe"], status="in_progress",
               partner_cities=[{"city": f"Sizepartner {i % 2}", "country": "FR"}])
        for i in range(start, start + count)
    ])  # fmt: skip


def _titles(html: str) -> list[str]:
    return re.findall(r"Report (size-\d+) \(en\)", html)


def test_the_city_page_lists_every_report_once_newest_first_page_by_page(client, no_page_cache, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    _reports(0, 5)
    slug = City.objects.get(name="Sizeville").slug
    seen = []
    for number in (1, 2, 3):
        html = client.get(f"/en/experiences/city/{slug}/?page={number}").content.decode()
        section = html.split('id="own-h"', 1)[1].split("</section>", 1)[0]
        seen += list(dict.fromkeys(_titles(section)))
    assert seen == [f"size-{i}" for i in range(4, -1, -1)]  # each once, newest first
    first = client.get(f"/en/experiences/city/{slug}/").content.decode()
    assert 'href="?page=2"' in first and 'href="?page=3"' in first
    # The partner cities are all named, whatever page their reports are on.
    assert "Sizepartner 0" in first and "Sizepartner 1" in first


def test_a_publication_shows_at_once_in_what_is_kept_for_the_generation(client, no_page_cache):
    _reports(0, 1)
    slug = City.objects.get(name="Sizeville").slug
    urls = ["/en/experiences/?tag=sizeprobe", f"/en/experiences/city/{slug}/", "/en/experiences/map/?tag=sizeprobe",
            f"/en/cities/{slug}/peers/"]  # fmt: skip
    before = {url: client.get(url).content.decode() for url in urls}  # worked out and kept
    assert "size-1" not in before[urls[1]] and "Otherville" not in before[urls[3]]
    _reports(1, 1)
    _reports(50, 1, city="Otherville")  # the same theme, tag and SDG: a peer
    after = {url: client.get(url).content.decode() for url in urls}
    assert "Report size-1 (en)" in after[urls[0]] and "Report size-1 (en)" in after[urls[1]]
    assert "Otherville" in after[urls[3]]  # the peers' corpus was worked out again
    # The map's table counts the city's reports: one, then two.
    row = re.compile(rf'id="city-{slug}">.*?<td class="number">(\d+)</td>', re.S)
    assert row.search(before[urls[2]]).group(1) == "1" and row.search(after[urls[2]]).group(1) == "2"


def test_the_list_links_to_a_few_pages_not_to_every_page(client, no_page_cache, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    _reports(0, 12)
    html = client.get("/en/experiences/?tag=sizeprobe&page=6").content.decode()
    pages = re.findall(r'href="\?tag=sizeprobe&amp;page=(\d+)"', html)
    assert {"1", "4", "5", "7", "8", "12"} <= set(pages)  # the ends, two on each side, previous and next
    assert not {"2", "3", "10", "11"} & set(pages)
    assert html.count('class="ellipsis"') == 2


def test_paginated_pages_cost_the_same_with_one_or_several_pages_of_reports(client, no_page_cache, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    _reports(0, 2)
    slug = City.objects.get(name="Sizeville").slug
    urls = {
        "list + filters": "/en/experiences/?tag=sizeprobe&theme=energy-climate&region=south&sdg=7",
        "city page": f"/en/experiences/city/{slug}/",
        "city page 2": f"/en/experiences/city/{slug}/?page=2",
        "map + filters": "/en/experiences/map/?tag=sizeprobe&theme=energy-climate",
        "peers page": f"/en/cities/{slug}/peers/",
    }
    few = {name: queries_for(client, url) for name, url in urls.items()}
    _reports(2, 7)
    many = {name: queries_for(client, url) for name, url in urls.items()}
    assert many == few
