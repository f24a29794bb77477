from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page

from cooperation_hub.query import MAX_FILTER_VALUES
from cooperation_hub.templatetags.head_tags import sub_route
from cooperation_hub.visibility import public_translations, visible_to_public

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: the translation of this page where it exists, at the same sub-route
    (the map, a city, a contribution) with the same filters; a list's page number is left out,
    the other language's list being another length."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    links = []
    # Every visible version in one query (shared with the <head>'s alternates), not three per language.
    translations = public_translations(page, request) if isinstance(page, Page) else {}
    for code, name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page):
            translation = translations.get(code)
            if translation is not None:
                own = translation.get_url(request)  # the site's root paths kept on the request
                url = own + _same_place(page, request, code) if own else None
            else:
                url = _untranslated_url(page, code)
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def _same_place(page: Page, request, code: str) -> str:
    """The sub-route and the filters of this request, for the translation in ``code``: a list's
    page number left out, its tags named as that language's list names them."""
    if request is None:
        return ""
    kept = request.GET.copy()
    kept.pop("page", None)
    from experiences.models import ExperienceIndexPage

    # The reports' tags only: a consultation's tags are its contributions', named as they were written.
    # As many as a filter may combine (more is refused by the list itself): a query or two each.
    tags = kept.getlist("tag")
    if code != get_language() and 0 < len(tags) <= MAX_FILTER_VALUES and isinstance(page, ExperienceIndexPage):
        from experiences.filters import tags_in_language

        kept.setlist("tag", tags_in_language(tags, code))
    return sub_route(page, request) + (f"?{kept.urlencode()}" if kept else "")


def _untranslated_url(page: Page, code: str) -> str | None:
    """Where a report not (yet) translated into ``code`` is read in that language: the same
    address as its search hits and list entries give (experiences.translation.fallback_urls).
    None for other pages, or when that address is another report's."""
    from experiences.models import ExperiencePage
    from experiences.translation import fallback_urls

    if not isinstance(page, ExperiencePage):
        return None
    return fallback_urls(code, [page.pk]).get(page.pk)


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


@register.simple_tag(takes_context=True)
def hook_sections(context, hook_name: str, *args):
    """The HTML that other apps add to a page through the Wagtail hook ``hook_name``
    (each hook is called with the request and ``args`` and returns HTML or ""): an older
    app's template shows what a newer app knows without importing it (partnerships on
    the city and peers pages)."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe
    from wagtail import hooks

    request = context.get("request")
    return mark_safe(
        "".join(str(conditional_escape(hook(request, *args) or "")) for hook in hooks.get_hooks(hook_name))
    )
