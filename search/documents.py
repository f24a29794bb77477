"""What the search knows about each item, whichever backend answers.

``document_for(obj)`` turns an experience, a consultation or a contribution into
one flat dict (type, language, visibility, facets, title, text, url…). The
engines store it next to django-modelsearch's own fields (search/engines/),
and the database backend uses the same function to show results, so both
backends describe an item in the same words.
"""

import hashlib
import html
import json
import re
from datetime import datetime
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.html import strip_tags
from wagtail.models import Page

from cooperation_hub.visibility import page_visible_to_public, private_paths, visible_to_public

TYPES = ("experience", "contribution", "consultation")

# Where one block of rich text ends and the next begins: a space there, or
# "…à la cantine.</p><p>Les élèves" would read "cantine.Les élèves" once tags are stripped.
_BLOCK_END_RE = re.compile(r"(?i)<br\s*/?>|</(?:p|li|h[1-6]|div|blockquote|tr|td|th|dd|dt|figcaption)\s*>")
_SPACES_RE = re.compile(r"\s+")


def html_text(value: str) -> str:
    """Readable text of an HTML fragment: blocks separated by a space, entities decoded, spaces collapsed."""
    text = strip_tags(_BLOCK_END_RE.sub(" ", value or ""))
    return _SPACES_RE.sub(" ", html.unescape(text)).strip()


def join_text(*parts: str) -> str:
    """Pieces of text as one, each once: a piece that repeats the end of what
    came before (a body that opens with the summary) is not added twice."""
    out: list[str] = []
    for part in parts:
        part = _SPACES_RE.sub(" ", part or "").strip()
        if not part:
            continue
        previous = out[-1] if out else ""
        if previous and part.startswith(previous):
            out[-1] = part  # the summary is the body's first sentence(s): keep the body only
        elif not (previous and previous.endswith(part)):
            out.append(part)
    return " ".join(out)


def _streamfield_text(value: Any) -> str:
    """Every string in a StreamField's raw data, tags stripped (images, embeds and ids are skipped)."""
    parts: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, str):
            if key not in {"id", "type", "image", "document", "embed", "url"} and not node.startswith("http"):
                parts.append(html_text(node))
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)

    try:
        walk(value.get_prep_value() if hasattr(value, "get_prep_value") else value)
    except Exception:  # a broken block must never stop a page from being searchable
        return ""
    return " ".join(p for p in parts if p.strip())


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _page_languages(page: Page) -> list[str]:
    """Languages in which this page's translation group has a page visible to the public."""
    known = getattr(page, "_hub_languages", None)  # set by page_languages() for a batch
    if known is not None:
        return known
    return sorted(
        visible_to_public(Page.objects.filter(translation_key=page.translation_key))
        .values_list("locale__language_code", flat=True)
        .distinct()
    )


def page_languages(pages: list[Page]) -> None:
    """Look up the languages and visibility of many pages in a fixed number of queries (before document_for on each)."""
    found: dict[Any, set[str]] = {page.translation_key: set() for page in pages}
    rows = visible_to_public(Page.objects.filter(translation_key__in=list(found))).values_list(
        "translation_key", "locale__language_code"
    )
    for key, code in rows:
        found[key].add(code)
    private = private_paths() if pages else []
    for page in pages:
        page._hub_languages = sorted(found[page.translation_key])
        page._hub_visible = page_visible_to_public(page, private)


def load_for_documents(objects: list[Any]) -> None:
    """Load what ``document_for`` reads of many objects in a fixed number of queries, whatever
    their number: their relations, then the pages' languages and visibility. An index rebuild
    writes its documents a chunk at a time; one by one, each report cost ten queries."""
    from contributions.models import ConsultationPage, Contribution
    from experiences.models import ExperiencePage

    prefetch_related_objects([o for o in objects if isinstance(o, ExperiencePage)], "locale", "city", "tags",
                             "themes", "sdgs")  # fmt: skip
    prefetch_related_objects([o for o in objects if isinstance(o, ConsultationPage)], "locale", "suggested_tags")
    contributions = [o for o in objects if isinstance(o, Contribution)]
    prefetch_related_objects(contributions, "consultation", "tags")
    pages = [o for o in objects if isinstance(o, Page)]
    page_languages(pages + list({c.consultation_id: c.consultation for c in contributions}.values()))


def _page_visible(page: Page) -> bool:
    known = getattr(page, "_hub_visible", None)  # set by page_languages() for a batch
    return page_visible_to_public(page) if known is None else known


def _page_url(page: Page) -> str:
    try:
        return page.get_url() or page.url_path
    except Exception:
        return page.url_path


def document_for(obj: Any) -> dict[str, Any]:
    """The hub fields of one indexed object, or {} for an object search does not show."""
    from contributions.models import ConsultationPage, Contribution
    from experiences.models import ExperiencePage

    if isinstance(obj, ExperiencePage):
        city = obj.city
        tags = [t.name for t in obj.tags.all()]
        # City and tags have fields of their own (hub_city, hub_tags): the text stays readable for snippets.
        text = join_text(obj.summary or "", _streamfield_text(obj.body), obj.lessons or "")
        return {
            "hub_type": "experience",
            "hub_id": str(obj.pk),
            "hub_group": str(obj.translation_key),
            "hub_visible": _page_visible(obj),
            "hub_lang": obj.locale.language_code,
            "hub_langs": _page_languages(obj),
            "hub_title": obj.title,
            "hub_summary": obj.summary or "",
            "hub_text": text,
            "hub_url": _page_url(obj),
            "hub_external_id": obj.external_id,
            "hub_city": city.name,
            "hub_country": city.country,
            "hub_region": city.region,
            "hub_size": city.size or "",
            "hub_status": obj.status,
            "hub_themes": [t.slug for t in obj.themes.all()],
            "hub_sdgs": [str(s.number) for s in obj.sdgs.all()],
            "hub_tags": sorted(t.lower() for t in tags),  # a set: the same document however loaded
            "hub_date": _iso(obj.first_published_at or obj.latest_revision_created_at),
        }
    if isinstance(obj, ConsultationPage):
        tags = [t.name for t in obj.suggested_tags.all()]
        return {
            "hub_type": "consultation",
            "hub_id": str(obj.pk),
            "hub_group": str(obj.translation_key),
            "hub_visible": _page_visible(obj),
            "hub_lang": obj.locale.language_code,
            "hub_langs": _page_languages(obj),
            "hub_title": obj.title,
            "hub_summary": obj.question,
            "hub_text": join_text(obj.question, html_text(obj.introduction or "")),
            "hub_url": _page_url(obj),
            "hub_external_id": obj.external_id or "",
            "hub_city": "",
            "hub_country": "",
            "hub_region": "",
            "hub_size": "",
            "hub_status": "",
            "hub_themes": [],
            "hub_sdgs": [],
            "hub_tags": sorted(t.lower() for t in tags),  # a set: the same document however loaded
            "hub_date": _iso(obj.opens_at),
        }
    if isinstance(obj, Contribution):
        consultation = obj.consultation
        tags = [t.name for t in obj.tags.all()]
        body = html_text(obj.body or "")
        visible = obj.state == Contribution.State.PUBLISHED and _page_visible(consultation)
        return {
            "hub_type": "contribution",
            "hub_id": str(obj.pk),
            "hub_group": f"contribution-{obj.pk}",
            "hub_visible": bool(visible),
            "hub_lang": obj.language,
            "hub_langs": [obj.language],
            "hub_title": obj.title,
            "hub_summary": body[:300],
            "hub_text": body,
            # Its permalink (a page of the listing shows ten: an anchor there missed the others).
            "hub_url": consultation.contribution_url(obj.pk, page_url=_page_url(consultation)),
            "hub_external_id": obj.external_id or "",
            "hub_city": "",
            "hub_country": "",
            "hub_region": "",
            "hub_size": "",
            "hub_status": "",
            "hub_themes": [],
            "hub_sdgs": [],
            "hub_tags": sorted(t.lower() for t in tags),  # a set: the same document however loaded
            "hub_date": _iso(obj.created_at),
        }
    return {}


def fingerprint(document: dict[str, Any]) -> str:
    """A short digest of a document, stored with it so reconciliation spots stale entries."""
    payload = json.dumps({k: v for k, v in document.items() if k != "hub_fingerprint"}, sort_keys=True, default=str)
    return hashlib.sha1(payload.encode()).hexdigest()[:16]
