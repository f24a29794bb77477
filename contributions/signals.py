"""What a consultation's activity outdates in the page cache (cooperation_hub/page_cache.py).

"consultation:<key>" and "contributions": a contribution (its tags, its revisions),
a reply, a support or a moderation action of that consultation; and a member's change of what
their bylines show (name, city, organisation, an account closed) on every consultation they
took part in.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from cooperation_hub import page_cache

from .models import (
    ConsultationPage,
    Contribution,
    ContributionRevision,
    ContributionTag,
    ModerationAction,
    Reply,
    Support,
)

CONTRIBUTION_MODELS = (Contribution, ContributionTag, ContributionRevision, Reply, Support, ModerationAction)


def _consultation_key(instance):
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


# A login writes last_login only: no byline changes.
BYLINE_UNCHANGED = frozenset({"last_login"})


def _member_changed(sender, instance=None, created: bool = False, raw: bool = False, update_fields=None, **kwargs):
    if raw or created or (update_fields and set(update_fields) <= BYLINE_UNCHANGED):
        return
    keys = list(
        ConsultationPage.objects.filter(Q(contributions__author=instance) | Q(contributions__replies__author=instance))
        .values_list("translation_key", flat=True)
        .distinct()
    )
    if keys:
        page_cache.invalidate(page_cache.CONTRIBUTIONS, *(page_cache.consultation_tag(key) for key in keys))


def connect_page_cache() -> None:
    for model in CONTRIBUTION_MODELS:
        label = model._meta.label
        post_save.connect(_contribution_changed, sender=model, dispatch_uid=f"page_cache_{label}_saved")
        post_delete.connect(_contribution_changed, sender=model, dispatch_uid=f"page_cache_{label}_deleted")
    post_save.connect(_member_changed, sender=get_user_model(), dispatch_uid="page_cache_member_saved")
