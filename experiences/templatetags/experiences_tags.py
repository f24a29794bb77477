"""Links to the pages under an experiences index (city, tag, theme, map)."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
