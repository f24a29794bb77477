from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page

from cooperation_hub.visibility import visible_to_public

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
            translation = page.get_translation_or_none(_locale(code))
            if translation is not None and translation.live:
                url = translation.url
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


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
