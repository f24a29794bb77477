"""Wagtail joins an admin page's title and subtitle outside any catalogue, as
f"{title}: {subtitle}" (WagtailAdminTemplateMixin.get_header_title): the French admin read
"Nouveau: Retour d’expérience" in the tab title and the header, where French typography
puts a non-breaking space before the colon. ``install`` (CooperationHubConfig.ready)
makes that join translatable; tests/cooperation_hub/test_admin_typography.py checks
Wagtail still defines the method it replaces."""

from django.utils.translation import pgettext


def header_title(view) -> str:
    title, subtitle = view.get_page_title(), view.get_page_subtitle()
    if not subtitle:
        return title
    return pgettext("admin page title and subtitle", "%(title)s: %(subtitle)s") % {"title": title, "subtitle": subtitle}


def install() -> None:
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

    WagtailAdminTemplateMixin.get_header_title = header_title
