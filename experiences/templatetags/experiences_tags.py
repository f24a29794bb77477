"""Links to the pages under an experiences index (city, tag, theme, map)."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def subpage_url(index, route: str, slug: str = "") -> str:
    """The URL of a route of the experiences index, e.g. {% subpage_url index "city_view" city.slug %}."""
    if index is None:
        return ""
    kwargs = {"slug": slug} if slug else None
    return (index.url or "") + index.reverse_subpage(route, kwargs=kwargs)


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
