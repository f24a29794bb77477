from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page

from cooperation_hub.visibility import page_visible_to_public, visible_to_public

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: the translation of this page where it exists."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page):
            locale = _locale(code)
            translation = page.get_translation_or_none(locale)
            if translation is not None and page_visible_to_public(translation):
                url = translation.url
            elif locale is not None:
                url = _untranslated_url(page, locale)
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def _untranslated_url(page: Page, locale) -> str | None:
    """Where a report not (yet) translated into ``locale`` is read in that language: its slug
    under that language's experiences index, which shows the original with a notice
    (experiences.translation). None for other pages, or when that address is another report's."""
    from experiences.models import ExperiencePage

    if not isinstance(page, ExperiencePage):
        return None
    index = page.get_parent().get_translation_or_none(locale)
    if index is None or not index.live:
        return None
    if index.get_children().live().filter(slug=page.slug).exists():
        return None  # an unrelated report of that language has the slug: no address to give
    return f"{index.url}{page.slug}/"


def _locale(code: str):
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=code).first()


@register.simple_tag
def locale_page(model_path: str):
    """The page of a given type in the active language visible to the public (e.g. the experiences index)."""
    from django.apps import apps
    from wagtail.models import Locale

    model = apps.get_model(model_path)
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return None
    return visible_to_public(model.objects.all()).filter(locale=locale).first()
