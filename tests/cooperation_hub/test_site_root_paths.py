"""Wagtail keeps the site's root paths on the request it is given; an address built without the
request asks the shared cache for them again (a round trip each). A page builds its addresses
with the request."""

import pytest
from wagtail.models import Site

from contributions.models import ConsultationPage
from experiences.models import ExperiencePage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "no_page_cache")]


@pytest.fixture
def root_path_reads(monkeypatch) -> list[int]:
    reads: list[int] = []
    real = Site.get_site_root_paths

    def counted():
        reads.append(1)
        return real()

    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(counted))
    return reads


@pytest.mark.parametrize("page", ["report", "list", "consultation", "home"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_page_reads_the_site_root_paths_once(client, root_path_reads, page, lang):
    url = {
        "report": lambda: ExperiencePage.objects.live().filter(locale__language_code=lang).first().url,
        "list": lambda: f"/{lang}/experiences/",
        "consultation": lambda: ConsultationPage.objects.live().filter(locale__language_code=lang).first().url,
        "home": lambda: f"/{lang}/",
    }[page]()
    client.get(url)  # the navigation's addresses, kept under the site's generation
    root_path_reads.clear()
    assert client.get(url).status_code == 200
    assert len(root_path_reads) <= 1, len(root_path_reads)
