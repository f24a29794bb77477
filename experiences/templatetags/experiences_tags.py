"""Template tags of the reports: links under an experiences index (city, tag, theme, map), report
cards and bodies rendered once per process for the site's generation, JSON-LD, search covers."""

import json

from django import template
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cooperation_hub.process_memo import kept_by_process, rendered_name

register = template.Library()


@register.filter(is_safe=True)
def truncatewords_nbsp(value, count) -> str:
    """Django's truncatewords, keeping non-breaking spaces ("Cas illustratif\u00a0:" on French cards)."""
    from cooperation_hub.text import truncate_words

    try:
        count = int(count)
    except (TypeError, ValueError):
        return value
    return truncate_words(value, count)


@register.simple_tag(takes_context=True)
def subpage_url(context, index, route: str, slug: str = "") -> str:
    """The URL of a route of the experiences index, e.g. {% subpage_url index "city_view" city.slug %}."""
    if index is None:
        return ""
    kwargs = {"slug": slug} if slug else None
    # With the request, Wagtail keeps the site's root paths on it (one cache read per page, not per link).
    return (index.get_url(context.get("request")) or "") + index.reverse_subpage(route, kwargs=kwargs)


@register.simple_tag(takes_context=True)
def experience_card(context, experience, index=None) -> str:
    """A report's card (experiences/includes/experience_card.html), rendered once per process
    for the site's generation: the home page, the list and a city page show the same cards to
    every reader of a language, and rendering one (its picture, its links, its labels) cost a
    millisecond, a third of the list. Whatever a card shows changes only through a write that
    bumps the generation (the report, its city, its cover image, the site's pages)."""
    request = context.get("request")
    fallback = getattr(experience, "fallback", None)
    key = rendered_name(
        "card", request, experience.pk, index.pk if index is not None else "", fallback.url if fallback else ""
    )
    return kept_by_process(
        key,
        lambda: get_template("experiences/includes/experience_card.html").render(
            {"experience": experience, "index": index, "request": request}
        ),
    )


@register.simple_tag(takes_context=True)
def report_part(context, part: str) -> str:
    """A report's body or its own <head> lines (experiences/includes/report_{body,head}.html),
    rendered together once per process for the site's generation, as its cards are: what they
    show changes only through a write that bumps it (the report published, a partner city, an
    image, a comparable-projects list refreshed). A preview, a draft or a page without a
    request is rendered each time."""
    page, request = context["page"], context.get("request")
    index, fallback = context.get("index"), context.get("translation_fallback")

    def render() -> dict[str, str]:
        values = {"page": page, "request": request, "index": index, "translation_fallback": fallback}
        values.update(page.reading_context(request))
        return {
            name: get_template(f"experiences/includes/report_{name}.html").render(values) for name in ("head", "body")
        }

    if request is None or getattr(request, "is_preview", False) or not page.live:
        parts = getattr(page, "_hub_report_parts", None)  # the head and the body of one render
        if parts is None:
            parts = page._hub_report_parts = render()
        return parts[part]
    key = rendered_name(
        "report", request, page.pk, index.pk if index is not None else "", fallback["language"] if fallback else ""
    )
    return kept_by_process(key, render)[part]


@register.simple_tag
def json_ld(data: dict) -> str:
    """A JSON-LD script element; "<", ">" and "&" escaped so that no text can close it."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def region_label(region: str) -> str:
    from django.utils.translation import gettext

    return gettext("North") if region == "north" else gettext("South")


@register.simple_tag
def experience_covers(hits) -> dict:
    """{"<external_id>:<language>": report with a cover} for the experience hits of a search
    result page: one query for the reports and one for their renditions, however many hits."""
    from experiences.media import with_covers
    from experiences.models import ExperiencePage

    wanted = {(hit.external_id, hit.language) for hit in hits if hit.type == "experience" and hit.external_id}
    if not wanted:
        return {}
    pages = with_covers(
        ExperiencePage.objects.visible_to_public()
        .filter(external_id__in={external_id for external_id, _language in wanted}, cover_image__isnull=False)
        .select_related("locale")
    )
    return {
        f"{page.external_id}:{page.locale.language_code}": page
        for page in pages
        if (page.external_id, page.locale.language_code) in wanted
    }


@register.inclusion_tag("experiences/includes/hit_cover.html")
def hit_cover(hit, covers: dict) -> dict:
    """The small cover of a search hit that is a report with one (nothing otherwise)."""
    return {"experience": covers.get(f"{hit.external_id}:{hit.language}")}
