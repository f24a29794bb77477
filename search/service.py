"""One search over experiences, contributions and consultations.

Foundation version: the database backend through Wagtail search; the search
issue grows it into facets, snippets, per-language analysis and engine fallback.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from contributions.models import ConsultationPage, Contribution
from experiences.models import ExperiencePage


@dataclass
class SearchHit:
    type: str
    title: str
    url: str
    snippet: str
    external_id: str


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.hits)


def run_search(params: QueryDict, language: str) -> SearchResult:
    query = (params.get("q") or "").strip()
    locale = Locale.objects.filter(language_code=language).first()
    result = SearchResult(query=query)
    experiences = ExperiencePage.objects.live().filter(locale=locale)
    consultations = ConsultationPage.objects.live().filter(locale=locale)
    contributions = Contribution.objects.filter(state=Contribution.State.PUBLISHED)
    if query:
        experiences = experiences.search(query)
        consultations = consultations.search(query)
        contributions = get_search_backend().search(query, contributions)
    else:
        experiences = experiences.order_by("-first_published_at")
        consultations = consultations.order_by("-first_published_at")
        contributions = contributions.order_by("-created_at")
    for page in experiences[:50]:
        result.hits.append(SearchHit("experience", page.title, page.url, page.summary, page.external_id))
    for page in consultations[:20]:
        result.hits.append(SearchHit("consultation", page.title, page.url, page.question, page.external_id))
    for item in contributions[:50]:
        result.hits.append(SearchHit("contribution", item.title, "", item.body[:200], item.external_id))
    return result
