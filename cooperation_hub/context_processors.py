from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation

from . import page_cache


def site_navigation(request: HttpRequest) -> dict:
    """The header's links in the reader's language: ``nav.home``,
    ``nav.experiences`` and ``nav.consultations`` (URLs, or None when the
    page does not exist in that language).

    Every page, even a cached one being rendered, pays for this: the URLs are
    kept in the cache under the site's generation, which any publication
    bumps, so the database is read once per language and change.
    """
    return {"nav": kept_navigation_urls(translation.get_language() or "fr")}


def kept_navigation_urls(language: str) -> dict[str, str | None]:
    """``navigation_urls(language)``, kept in the cache under the site's generation."""
    key = f"nav:{language}:{page_cache.site_generation()}"
    nav = cache.get(key)
    if nav is None:
        nav = navigation_urls(language)
        cache.set(key, nav, timeout=page_cache.timeout())
    return nav


def navigation_urls(language: str) -> dict[str, str | None]:
    """The home and each section's index page (experiences, consultations) of a language
    visible to the public. A domain app names its index page with the ``hub_navigation``
    Wagtail hook (a function returning ``(name, page model)``), so this project package
    does not import it."""
    from wagtail import hooks
    from wagtail.models import Locale

    from cooperation_hub.models import HomePage

    locale = Locale.objects.filter(language_code=language).first()
    urls: dict[str, str | None] = {}
    for name, model in (("home", HomePage), *(entry() for entry in hooks.get_hooks("hub_navigation"))):
        page = model.objects.visible_to_public().filter(locale=locale).first() if locale else None
        urls[name] = page.get_url() if page else None
    return urls
