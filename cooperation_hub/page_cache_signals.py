"""What outdates cached pages (cooperation_hub/page_cache.py), as signal receivers.

- "site" (every page): a page saved, published, unpublished, moved or deleted;
  a city, theme, SDG, tag, image, document, site or locale changed; a page's
  view restriction added, changed or removed; a member's public name changed (bylines).
- "consultation:<key>" and "contributions": a contribution (its tags, its
  revisions), a reply, a support or a moderation action of that consultation.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import page_cache

SITE_MODELS = (
    "experiences.City", "experiences.Theme", "experiences.SustainableDevelopmentGoal", "taggit.Tag",
    "wagtailcore.Site", "wagtailcore.Locale", "wagtailimages.Image", "wagtaildocs.Document",
    # A section made private (or public again) leaves or joins every listing at once.
    "wagtailcore.PageViewRestriction",
)  # fmt: skip
CONTRIBUTION_MODELS = (
    "contributions.Contribution", "contributions.ContributionTag", "contributions.ContributionRevision",
    "contributions.Reply", "contributions.Support", "contributions.ModerationAction",
)  # fmt: skip
# What the pages show of a member (a login only touches last_login).
PUBLIC_USER_FIELDS = {"display_name", "city", "organisation", "first_name", "last_name", "username", "is_active"}


def _site_changed(sender=None, **kwargs) -> None:
    page_cache.invalidate(page_cache.SITE)


def _page_saved_or_deleted(sender, instance=None, raw: bool = False, **kwargs) -> None:
    if isinstance(instance, Page) and not raw:
        _site_changed()


def _user_saved(sender, instance=None, update_fields=None, raw: bool = False, **kwargs) -> None:
    if not raw and (update_fields is None or PUBLIC_USER_FIELDS & set(update_fields)):
        _site_changed()


def _consultation_key(instance):
    from contributions.models import ConsultationPage, Contribution

    if isinstance(instance, Contribution):
        return (
            ConsultationPage.objects.filter(pk=instance.consultation_id)
            .values_list("translation_key", flat=True)
            .first()
        )
    # A reply, support or moderation action names its contribution; a tag link (taggit) its content object.
    contribution_id = getattr(instance, "contribution_id", None) or getattr(instance, "content_object_id", None)
    return (
        Contribution.objects.filter(pk=contribution_id).values_list("consultation__translation_key", flat=True).first()
    )


def _contribution_changed(sender, instance=None, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    key = _consultation_key(instance)
    tags = [page_cache.CONTRIBUTIONS] + ([page_cache.consultation_tag(key)] if key else [])
    page_cache.invalidate(*tags)


def connect() -> None:
    uid = "page_cache"
    page_published.connect(_site_changed, dispatch_uid=f"{uid}_published")
    page_unpublished.connect(_site_changed, dispatch_uid=f"{uid}_unpublished")
    post_page_move.connect(_site_changed, dispatch_uid=f"{uid}_moved")
    # No sender: every specific page model sends its own post_save/post_delete.
    post_save.connect(_page_saved_or_deleted, dispatch_uid=f"{uid}_page_saved")
    post_delete.connect(_page_saved_or_deleted, dispatch_uid=f"{uid}_page_deleted")
    post_save.connect(_user_saved, sender=apps.get_model("cooperation_hub.User"), dispatch_uid=f"{uid}_user")
    for label in SITE_MODELS:
        model = apps.get_model(label)
        post_save.connect(_site_changed, sender=model, dispatch_uid=f"{uid}_{label}_saved")
        post_delete.connect(_site_changed, sender=model, dispatch_uid=f"{uid}_{label}_deleted")
    for label in CONTRIBUTION_MODELS:
        model = apps.get_model(label)
        post_save.connect(_contribution_changed, sender=model, dispatch_uid=f"{uid}_{label}_saved")
        post_delete.connect(_contribution_changed, sender=model, dispatch_uid=f"{uid}_{label}_deleted")
