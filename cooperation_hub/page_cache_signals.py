"""What outdates cached pages (cooperation_hub/page_cache.py), as signal receivers.

This module holds the rules for the project's own models and for the libraries'
models; each domain app connects its own (`experiences/signals.py`: cities, themes,
SDGs; `contributions/signals.py`: a consultation's contributions), with
`outdate_site_on_change` or `page_cache.invalidate`.

- "site" (every page): a page saved, published, unpublished, moved or deleted;
  a tag, image, document, site or locale changed; a page's view restriction
  added, changed or removed; a member's public name changed (bylines).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import page_cache

SITE_MODELS = (
    "taggit.Tag", "wagtailcore.Site", "wagtailcore.Locale", "wagtailimages.Image", "wagtaildocs.Document",
    # A section made private (or public again) leaves or joins every listing at once.
    "wagtailcore.PageViewRestriction",
)  # fmt: skip
# What the pages show of a member (a login only touches last_login).
PUBLIC_USER_FIELDS = {"display_name", "city", "organisation", "first_name", "last_name", "username", "is_active"}
UID = "page_cache"


def site_changed(sender=None, **kwargs) -> None:
    page_cache.invalidate(page_cache.SITE)


def _page_saved_or_deleted(sender, instance=None, raw: bool = False, **kwargs) -> None:
    if isinstance(instance, Page) and not raw:
        site_changed()


def _user_saved(sender, instance=None, update_fields=None, raw: bool = False, **kwargs) -> None:
    if not raw and (update_fields is None or PUBLIC_USER_FIELDS & set(update_fields)):
        site_changed()


def outdate_site_on_change(model: type[Model] | str) -> None:
    """Outdate every cached page when a row of `model` is saved or deleted (for a model every page may show)."""
    if isinstance(model, str):
        model = apps.get_model(model)
    label = model._meta.label
    post_save.connect(site_changed, sender=model, dispatch_uid=f"{UID}_{label}_saved")
    post_delete.connect(site_changed, sender=model, dispatch_uid=f"{UID}_{label}_deleted")


def connect() -> None:
    page_published.connect(site_changed, dispatch_uid=f"{UID}_published")
    page_unpublished.connect(site_changed, dispatch_uid=f"{UID}_unpublished")
    post_page_move.connect(site_changed, dispatch_uid=f"{UID}_moved")
    # No sender: every specific page model sends its own post_save/post_delete.
    post_save.connect(_page_saved_or_deleted, dispatch_uid=f"{UID}_page_saved")
    post_delete.connect(_page_saved_or_deleted, dispatch_uid=f"{UID}_page_deleted")
    post_save.connect(_user_saved, sender=apps.get_model("cooperation_hub.User"), dispatch_uid=f"{UID}_user")
    for label in SITE_MODELS:
        outdate_site_on_change(label)
