"""What the <head> tells search engines and link previews about a page: its
canonical address, its versions in other languages, a description and the
Open Graph card."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from cooperation_hub.query import parse_int
from cooperation_hub.sites import absolute_url
from cooperation_hub.text import squeeze_spaces
from cooperation_hub.visibility import public_translations

register = template.Library()

OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
# The page fields that say what a page is about when no search description was written.
DESCRIPTION_FIELDS = ("search_description", "summary", "question", "hero_text", "intro", "introduction")
DESCRIPTION_LENGTH = 200


def absolute(url: str) -> str:
    """An address on SITE_URL (Wagtail gives root-relative ones on a single site)."""
    return absolute_url(url)


def sub_route(page: Page, request: HttpRequest | None) -> str:
    """The part of the address past the page's own (a city, a contribution, the map: routable
    pages' sub-routes), "" for the page itself; the same on every translation of the page."""
    path = request.path if request is not None else (page.url or "")
    own = page.get_url(request) or ""
    return path[len(own) :] if own and path.startswith(own) else ""


def _translations(page: Page, request: HttpRequest | None) -> dict[str, str]:
    """language code → path of this page (and sub-route) in that language, those visible to the public only."""
    suffix = sub_route(page, request)
    urls = {}
    for code, translation in public_translations(page, request).items():
        url = translation.get_url(request)
        if url:
            urls[code] = url + suffix
    return urls


def alternates(context) -> dict[str, str]:
    """language code → absolute address of this content in that language, when it exists in it."""
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, Page):
        paths = _translations(page, request)
    elif request is not None:
        # Views under /fr/ and /en/ (search, subscribe, accounts…) exist in every language.
        paths = {code: translate_url(request.path, code) for code, _name in settings.LANGUAGES}
        paths = {code: path for code, path in paths.items() if path.startswith(f"/{code}/")}
    else:
        paths = {}
    return {code: absolute(path) for code, path in paths.items()}


def description(page) -> str:
    for field in DESCRIPTION_FIELDS:
        text = strip_tags(str(getattr(page, field, "") or "")).strip()
        if text:
            return Truncator(squeeze_spaces(text)).chars(DESCRIPTION_LENGTH)  # French spaces kept
    return _(
        "A knowledge-sharing network for decentralized international smart-city cooperation: cities share "
        "what they tried, discuss it in open consultations and find peers to cooperate with."
    )


@register.inclusion_tag("cooperation_hub/includes/head_meta.html", takes_context=True)
def head_meta(context, title: str = "") -> dict:
    """The canonical link, hreflang alternates, meta description and Open Graph tags."""
    request = context.get("request")
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    language = get_language() or settings.LANGUAGE_CODE
    versions = alternates(context)
    if request is not None:
        canonical = absolute(request.path)
        # A list's further pages are their own pages (search engines read each one's links), and
        # so are their versions in the other languages: page 2 of one leads to page 2 of the others.
        # The filters are left out: a filtered list is not to be indexed ("noindex" on the list).
        # The page shown, where the view says so (past the last, Django's paginator shows the last).
        number = context.get("page_number") or parse_int(request.GET.get("page"))
        if number is not None and number > 1:
            canonical += f"?page={number}"
            versions = {code: f"{url}?page={number}" for code, url in versions.items()}
    else:
        canonical = versions.get(language, settings.SITE_URL + "/")
    if page is not None and not title:
        title = page.seo_title or page.title
    from experiences.models import ExperiencePage

    return {
        "canonical": canonical,
        # Alternates only for content that exists in more than one language.
        "alternates": sorted(versions.items()) if len(versions) > 1 else [],
        "x_default": versions.get(settings.LANGUAGE_CODE) if len(versions) > 1 else None,
        "description": description(page),
        "title": title or "Cooperation Hub",
        "og_type": "article" if isinstance(page, ExperiencePage) else "website",
        "og_locale": OG_LOCALES.get(language, language),
        "og_locale_alternates": [OG_LOCALES.get(code, code) for code in versions if code != language],
    }
