"""Wagtail joins an admin page's title and subtitle outside any catalogue, as
f"{title}: {subtitle}" (WagtailAdminTemplateMixin.get_header_title): the French admin read
"Nouveau: Retour d’expérience" in the tab title and the header, where French typography
puts a non-breaking space before the colon. ``install`` (CooperationHubConfig.ready)
makes that join translatable; tests/cooperation_hub/test_admin_typography.py checks
Wagtail still defines the method it replaces.

Wagtail's chooser viewsets translate their labels ("Choose", "Choose another", "Edit",
"Search", "Create") with ``gettext`` when the module is imported, in the site's default
language: an officer whose admin is in English read "Choisir <city>" in the city chooser.
``install`` makes them lazy, so they follow the admin's language of each request.

Wagtail's French catalogue spells the dashboard's page count "42 Pages crées dans…" (and
"créées dans%(site_name)s" for a million): ``SITE_SUMMARY_PAGES`` says it again in the
project's catalogue (LOCALE_PATHS, read before Wagtail's)."""

from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext


def header_title(view) -> str:
    title, subtitle = view.get_page_title(), view.get_page_subtitle()
    if not subtitle:
        return title
    return pgettext("admin page title and subtitle", "%(title)s: %(subtitle)s") % {"title": title, "subtitle": subtitle}


# Named here so that `make messages` keeps the project's French for it.
SITE_SUMMARY_PAGES = ngettext_lazy(
    '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
    '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
    "total",
)


# ChooserViewSet's labels and their msgids in Wagtail's catalogue.
CHOOSER_LABELS = {
    "choose_one_text": "Choose",
    "choose_another_text": "Choose another",
    "edit_item_text": "Edit",
    "search_tab_label": "Search",
    "create_action_label": "Create",
}


def install() -> None:
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
    from wagtail.admin.viewsets.chooser import ChooserViewSet

    WagtailAdminTemplateMixin.get_header_title = header_title
    for name, msgid in CHOOSER_LABELS.items():
        setattr(ChooserViewSet, name, gettext_lazy(msgid))
