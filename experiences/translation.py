"""A report written in one language, read from the other.

Until an officer translates it (the "Translate into …" action of the editor,
Wagtail's simple_translation copy), a report exists in one locale only. The
reader of the other language is not sent to a 404: the list of that language
shows it with a notice ("available in French only"), and its address under
that language's experiences index (/en/experiences/<French slug>/, where the
language switcher leads) shows the original, in the reader's layout, with the
same notice and a link to the original.

A report counts as translated when its translation is *visible to the public*
in that locale: a translation still in draft leaves the original shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.response import TemplateResponse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cooperation_hub.process_memo import kept_by_process
from cooperation_hub.visibility import visible_to_public

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.models import Page

    from .models import ExperienceIndexPage, ExperiencePage

# One sentence per original language: French and English do not build it alike.
ONLY_IN = {
    "fr": _("This report is available in French only."),
    "en": _("This report is available in English only."),
}
READ_ORIGINAL = {
    "fr": _("Read the original in French"),
    "en": _("Read the original in English"),
}


def _format_only_in(code: str) -> str:
    return str(
        ONLY_IN.get(code)
        or _("This report is available in %(language)s only.") % {"language": dict(settings.LANGUAGES).get(code, code)}
    )


only_in = lazy(_format_only_in, str)


@dataclass
class Fallback:
    """How a page of another language is shown to this reader."""

    language: str  # the original's language, for lang=""
    notice: str
    url: str  # the address under this reader's index


def sibling_indexes(index: ExperienceIndexPage) -> list[Page]:
    """The translations of this experiences index in the other languages, with their locale (one
    query, kept by the process for the site's generation: every list, city and report asks)."""
    return kept_by_process(
        f"sibling_indexes:{index.pk}",
        lambda: list(visible_to_public(index.get_translations()).select_related("locale")),
    )


def untranslated_q(index: ExperienceIndexPage, others: list[ExperienceIndexPage]) -> Q:
    """Reports under the other languages' indexes with no translation visible in this index's locale."""
    from wagtail.models import Page

    from .models import ExperiencePage

    if not others:
        return Q(pk__in=[])
    under_others = Q()
    for other in others:
        under_others |= ExperiencePage.objects.child_of_q(other)
    # Pages of any type: a translation key only ever groups versions of one page, so the keys are those
    # of the reports, read from the page table alone (joining the reports' own table, whose rows hold
    # the texts, made this list three times dearer: ~40 ms at 10,000 reports, in every list and facet).
    # NOT EXISTS rather than NOT IN: PostgreSQL then looks up the few reports a page of the list
    # reads in the (translation_key, locale) index, instead of hashing every key of the language
    # first (~30 ms at 100,000 reports, in every list); a count still gets a hashed anti-join.
    translated_here = visible_to_public(
        Page.objects.filter(locale_id=index.locale_id, translation_key=OuterRef("translation_key"))
    )
    return under_others & Q(~Exists(translated_here))


def listed_experiences(index: ExperienceIndexPage, others: list[ExperienceIndexPage] | None = None) -> QuerySet:
    """What this index lists: its own reports visible to the public, and the reports of the
    other languages not translated into its own (each once: with two languages, the original)."""
    from .models import ExperiencePage

    others = sibling_indexes(index) if others is None else others
    return visible_to_public(
        ExperiencePage.objects.filter(ExperiencePage.objects.child_of_q(index) | untranslated_q(index, others))
    )


def fallback_url(index: ExperienceIndexPage, page: ExperiencePage) -> str:
    """The address of an untranslated report under this index: the original's slug under it."""
    return f"{index.url or ''}{page.slug}/"


def fallback_urls(language: str, report_ids: Iterable[int]) -> dict[int, str]:
    """Where these reports, which have no translation in ``language``, are read in it: the original
    under that language's experiences index, with a notice (``serve_untranslated``), as the list
    links them; by id, two queries. The one rule for that address: search hits and the language
    switch (``hub_tags.language_links``) both ask it. Left out: one whose slug a report of that
    language has."""
    from cooperation_hub.context_processors import kept_navigation_urls

    from .models import ExperiencePage

    index_url = kept_navigation_urls(language).get("experiences")
    if not index_url:
        return {}
    slugs = dict(ExperiencePage.objects.filter(pk__in=report_ids).values_list("pk", "slug"))
    taken = set(
        ExperiencePage.objects.live()
        .filter(locale__language_code=language, slug__in=set(slugs.values()))
        .values_list("slug", flat=True)
    )
    return {pk: f"{index_url}{slug}/" for pk, slug in slugs.items() if slug not in taken}


def mark_fallbacks(index: ExperienceIndexPage, pages: list[ExperiencePage], others: list[Page]) -> list[ExperiencePage]:
    """Set ``page.fallback`` (None for the index's own language) on the pages of a list; no query."""
    codes = {other.locale_id: other.locale.language_code for other in others}
    for page in pages:
        code = codes.get(page.locale_id) if page.locale_id != index.locale_id else None
        page.fallback = Fallback(language=code, notice=only_in(code), url=fallback_url(index, page)) if code else None
    return pages


def for_reader(index: ExperienceIndexPage, pages: list[ExperiencePage]) -> list[ExperiencePage]:
    """``pages`` as this index's reader should get them: a page of another language becomes its
    translation into this index's language when one is visible, else stays the original marked as
    a fallback (``page.fallback``: its address under this index and its notice). One query, or
    none when every page is in this index's language. A page is given once."""
    from .models import ExperiencePage

    others = [page for page in pages if page.locale_id != index.locale_id]
    translations: dict = {}
    if others:
        translated = visible_to_public(
            ExperiencePage.objects.filter(
                locale_id=index.locale_id, translation_key__in={page.translation_key for page in others}
            )
        ).select_related("city")
        translations = {page.translation_key: page for page in translated}
    given, seen = [], set()
    for page in pages:
        page = translations.get(page.translation_key, page)
        if page.translation_key in seen:
            continue
        seen.add(page.translation_key)
        given.append(page)
    untranslated = [page for page in given if page.locale_id != index.locale_id]
    if untranslated:
        mark_fallbacks(index, untranslated, sibling_indexes(index))
    return given


def find_untranslated(index: ExperienceIndexPage, slug: str) -> ExperiencePage | None:
    """The report of another language with this slug and no translation visible in this index's locale."""
    from .models import ExperiencePage

    others = sibling_indexes(index)
    return (
        visible_to_public(ExperiencePage.objects.filter(untranslated_q(index, others), slug=slug))
        .select_related("locale")
        .first()
    )


def serve_untranslated(index: ExperienceIndexPage, request: HttpRequest, page: ExperiencePage) -> TemplateResponse:
    """The original report in this reader's layout, with the notice and a link to the original."""
    request.is_preview = False  # type: ignore[attr-defined]  # Wagtail's per-request flag, unknown to django-stubs
    code = page.locale.language_code
    context = page.get_context(request)
    context["index"] = index  # links to cities, themes and tags stay in the reader's language
    context["translation_fallback"] = {
        "language": code,
        "notice": only_in(code),
        "original_url": page.get_url(request),
        "original_full_url": page.full_url,
        "original_link": READ_ORIGINAL.get(code, ""),
    }
    return TemplateResponse(request, page.get_template(request), context)


def latest_listed(locale_id: int, count: int = 6) -> tuple[ExperienceIndexPage | None, list[ExperiencePage]]:
    """The experiences index of a language and the ``count`` newest reports it lists (its own and
    the originals not yet translated into it, marked as fallbacks): what the home page shows, so a
    report written in French is news to the English reader too. The ids are kept by the process for
    the site's generation; the reports are read again as the public may see them."""
    from .models import ExperienceIndexPage

    index = kept_by_process(
        f"index-of-locale:{locale_id}",
        lambda: ExperienceIndexPage.objects.visible_to_public().filter(locale_id=locale_id).first(),
    )
    if index is None:
        return None, []
    others = sibling_indexes(index)
    ids = kept_by_process(
        f"latest:{index.pk}:{count}",
        lambda: list(
            listed_experiences(index, others)
            .order_by("-first_published_at", "-pk")
            .values_list("pk", flat=True)[:count]
        ),
    )
    # The covers come with the reports; their renditions (six cards at most, each rendered once per
    # process) from Wagtail's rendition cache: the home page costs the same with or without covers.
    return index, mark_fallbacks(index, reports_in_order(ids), others)


def reports_in_order(ids: list[int], *prefetch: str) -> list[ExperiencePage]:
    """The reports of kept ``ids``, in that order, with their city and cover image, and the
    relations named in ``prefetch``; read again as the public may see them: a report made private
    since the ids were kept is left out, never shown."""
    from .models import ExperiencePage

    reports = visible_to_public(ExperiencePage.objects.filter(pk__in=ids)).select_related("city", "cover_image")
    by_id = {report.pk: report for report in reports.prefetch_related(*prefetch)}
    return [by_id[pk] for pk in ids if pk in by_id]
