"""What a search answers: ``SearchResult`` and its ``SearchHit``s, and their JSON shape for /api/search/."""

from dataclasses import dataclass, field
from typing import Any

from .params import SearchParams


@dataclass
class SearchHit:
    type: str
    title: str
    url: str
    snippet: str
    external_id: str
    city: str = ""
    country: str = ""
    date: str | None = None
    language: str = ""
    id: str = ""  # the object's key in its table (hub_id); not part of the API's answer

    def to_api(self) -> dict[str, str]:
        return {
            "type": self.type,
            "title": self.title,
            "url": self.url,
            "snippet": self.snippet,
            "external_id": self.external_id,
            # The language the item is written in ("fr", "en"): a hit may be in the other one (#17).
            "language": self.language,
        }


@dataclass
class SearchResult:
    query: str
    params: SearchParams | None = None
    count: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    backend: str = "database"
    notice: str = ""
    suggestions: list[str] = field(default_factory=list)
    corrected_from: str = ""  # the words as typed, when these results are for their spelling correction
    # The translations the query was also searched for (lexicon/queries.py), shown as "Also searched: …".
    also_searched: list[str] = field(default_factory=list)
    # The name this result is kept under by the process (search/answers.py ``kept_result``), "" when
    # worked out for this request alone: what a page renders of it may be kept under the same name.
    kept_as: str = ""

    def kept_weight(self) -> int:
        """Its size in characters, for what a process keeps (cooperation_hub/process_memo.py)."""
        texts = [self.query, *self.suggestions, *self.also_searched]
        texts += [text for hit in self.hits for text in (hit.title, hit.url, hit.snippet, hit.city)]
        return sum(len(text) for text in texts) + 1000  # the counts and facets, roughly

    @property
    def page(self) -> int:
        return self.params.page if self.params else 1

    @property
    def has_next(self) -> bool:
        return self.params is not None and self.params.offset + len(self.hits) < self.count

    def to_api(self) -> dict[str, Any]:
        answer = {"count": self.count, "results": [h.to_api() for h in self.hits], "facets": self.facets}
        if self.corrected_from:  # the results are for these corrected words (search/spelling.py)
            answer["corrected_query"] = self.query
        if self.also_searched:  # the translations also searched for; "translate=0" turns them off
            answer["also_searched"] = self.also_searched
        return answer


def hit_from_doc(doc: dict[str, Any], snippet: str) -> SearchHit:
    return SearchHit(
        type=doc["hub_type"],
        title=doc["hub_title"],
        url=doc["hub_url"],
        snippet=snippet,
        external_id=doc.get("hub_external_id") or "",
        city=doc.get("hub_city") or "",
        country=doc.get("hub_country") or "",
        date=doc.get("hub_date"),
        language=doc.get("hub_lang") or "",
        id=str(doc.get("hub_id") or ""),
    )
