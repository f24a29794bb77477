"""What the public may see: the one rule behind every listing of the hub.

A page is *visible to the public* when it is live and not in a private section
(no Wagtail view restriction, by password, login or groups, on it or on one of
its ancestors). That is what Wagtail's own ``/api/v2/pages/`` lists. Every
list, count, feed, map, search, suggestion, recommendation and e-mail of the
hub starts from it. A private page stays reachable at its own address, behind
Wagtail's password or login form; it is never *listed*, not even to a reader
who has passed its restriction (listings are cached and shared by everyone).

- page models of the hub: ``ExperiencePage.objects.visible_to_public()``
  (their manager is ``HubPageManager``);
- any other page queryset (``Page.objects``, ``page.get_children()``):
  ``visible_to_public(queryset)``;
- contributions: ``Contribution.objects.visible_to_public()`` (published, on a
  consultation visible to the public);
- tags: ``public_tags()``; cities: ``public_cities()``; documents: ``public_documents()`` and
  ``document_visible_to(document, request)``; images: ``public_images()``.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page, PageManager, PageQuerySet, PageViewRestriction, ReferenceIndex

from . import process_memo
from .request_memo import forget, once_per_request

if TYPE_CHECKING:
    from django.http import HttpRequest


def visible_to_public(pages: PageQuerySet) -> PageQuerySet:
    """The pages of ``pages`` that anyone may find: live, outside every private section.

    What Wagtail's ``.public()`` selects, with the private sections read as paths alone:
    ``.public()`` loads each restriction with its whole page, and SQLite, which has no
    statistics for an empty restrictions table, answers that by reading every page of
    the site (8 ms at 10,000 reports, several times per page view) instead of 2 ms.
    """
    private = Q()
    for path in private_paths():
        private |= Q(path__startswith=path)  # the section's page and all its descendants
    return pages.live().exclude(private) if private else pages.live()


class HubPageQuerySet(PageQuerySet):
    def visible_to_public(self) -> HubPageQuerySet:
        """Live pages outside every private section (see cooperation_hub/visibility.py)."""
        return visible_to_public(self)


HubPageManager = PageManager.from_queryset(HubPageQuerySet)


PRIVATE_PATHS_MEMO = "private_paths"


def private_paths() -> list[str]:
    """Tree paths of the pages carrying a view restriction: each begins a private section.
    Kept by the process for the site's generation (cooperation_hub/process_memo.py), and
    looked up once per request (cooperation_hub/request_memo.py); a restriction saved or
    deleted meanwhile makes the rest of the request read them again (``forget_private_paths``)."""
    return once_per_request(
        PRIVATE_PATHS_MEMO, lambda: process_memo.kept_by_process(PRIVATE_PATHS_MEMO, _private_paths_now)
    )


def forget_private_paths(**kwargs: object) -> None:
    """Connected to a view restriction's save and delete (cooperation_hub/apps.py)."""
    forget(PRIVATE_PATHS_MEMO)
    process_memo.forget(PRIVATE_PATHS_MEMO)


class KeptViewRestrictions:
    """For the hub's page models: a page outside every private section answers that it has
    no view restriction without asking the database (Wagtail asks, in two statements, before
    serving any page). Inside one, or where aliases exist (whose restrictions are their
    source page's), Wagtail's own answer."""

    def get_view_restrictions(self) -> QuerySet:
        if (
            getattr(self, "alias_of_id", None) is None
            and not any(self.path.startswith(path) for path in private_paths())  # type: ignore[attr-defined]
            and not process_memo.kept_by_process("aliases", _aliases_exist)
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()  # type: ignore[misc]


def _aliases_exist() -> bool:
    return Page.objects.filter(alias_of__isnull=False).exists()


def _private_paths_now() -> list[str]:
    # The restricted pages first, then their paths: joined in one statement, SQLite (no
    # statistics for an empty restrictions table) reads every page of the site (~15 ms at
    # 10,000 reports) where the usual case, no restriction, is one look at an empty table.
    page_ids = list(PageViewRestriction.objects.values_list("page_id", flat=True))
    return list(Page.objects.filter(pk__in=page_ids).values_list("path", flat=True)) if page_ids else []


def public_translations(page: Page, request: HttpRequest | None = None) -> dict[str, Page]:
    """language code → the version of ``page`` in that language visible to the public (itself
    included), in one query; kept by the process for the site's generation (a translation
    published, unpublished or made private bumps it), which the language switcher and the
    <head>'s alternates of every request for the page ask for. ``request`` is unused, kept for
    its callers."""
    return process_memo.kept_by_process(
        f"public_translations:{page.pk}",
        lambda: {
            translation.locale.language_code: translation
            for translation in visible_to_public(Page.objects.filter(translation_key=page.translation_key))
            .select_related("locale")
            .order_by("pk")
        },
    )


def page_visible_to_public(page: Page, private: list[str] | None = None) -> bool:
    """The same rule for one page already loaded: one query for its restrictions, or
    none when the ``private_paths()`` of a batch are given."""
    if not page.live:
        return False
    if private is None:
        return not page.get_view_restrictions().exists()
    return not any(page.path.startswith(path) for path in private)


def public_tags() -> QuerySet:
    """Tags of what the public may see: experience reports and consultations visible to
    the public, published contributions of those consultations. A tag used only by a
    draft or private page, or by a hidden or withdrawn contribution, is not suggested.

    Each domain app says which of its tag links are public with the ``hub_public_tag_ids``
    Wagtail hook (a function returning a ``values("tag_id")`` queryset)."""
    from taggit.models import Tag
    from wagtail import hooks

    used = [Q(pk__in=tag_ids()) for tag_ids in hooks.get_hooks("hub_public_tag_ids")]
    if not used:
        return Tag.objects.none()
    return Tag.objects.filter(reduce(operator.or_, used))


def public_cities() -> QuerySet:
    """Cities named by a report visible to the public, as its city or as a partner."""
    from experiences.models import City, ExperiencePage, ExperiencePartnerCity

    public = ExperiencePage.objects.visible_to_public()
    partners = ExperiencePartnerCity.objects.filter(experience__in=public).values("city_id")
    return City.objects.filter(Q(pk__in=public.values("city_id")) | Q(pk__in=partners))


# --- documents ------------------------------------------------------------------
# A document has no publication state of its own: it is public when a page
# visible to the public links to it (Wagtail's reference index records every
# document chooser and rich-text link of a page's live content). A document
# uploaded for a draft, or used only on a private page, is neither listed by
# /api/v2/documents/ nor served to the public. Collection view restrictions
# (Wagtail's own document privacy) still apply on top of this.


def _page_references(document_model: Any) -> QuerySet:
    return ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(document_model),
    )


def public_documents(documents: QuerySet) -> QuerySet:
    """The documents of ``documents`` linked from at least one page visible to the public."""
    public_pages = visible_to_public(Page.objects.all()).annotate(key=Cast("pk", CharField())).values("key")
    linked = _page_references(documents.model).filter(object_id__in=public_pages).values_list("to_object_id", flat=True)
    # A list of ids, not a subquery: the API's ?search= hands this filter to the search
    # backend, which only knows indexed fields such as "id".
    return documents.filter(pk__in=sorted({int(pk) for pk in linked if pk.isdigit()}))


def public_images(images: QuerySet) -> QuerySet:
    """The images of ``images`` shown by at least one page visible to the public (a report's
    cover, a gallery picture, an image in rich text): what /api/v2/images/ may list. An image
    uploaded for a draft or used only on a private page stays unlisted."""
    from experiences.models import ExperiencePage

    public_pages = visible_to_public(Page.objects.all()).annotate(key=Cast("pk", CharField())).values("key")
    linked = _page_references(images.model).filter(object_id__in=public_pages).values_list("to_object_id", flat=True)
    # Covers read from the pages themselves too: the reference index is rebuilt by a
    # background task, and a cover must not vanish from the API while it runs.
    covers = (
        ExperiencePage.objects.visible_to_public().exclude(cover_image=None).values_list("cover_image_id", flat=True)
    )
    ids = {int(pk) for pk in linked if pk.isdigit()} | set(covers)
    return images.filter(pk__in=sorted(ids))  # a list: ?search= hands this to the search backend


def document_visible_to(document: Any, request: HttpRequest) -> bool:
    """Whether this reader may download the document: it is linked from a live page
    whose view restrictions (if any) this reader has passed, or the reader works
    in the admin (editors preview drafts)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return True
    page_ids = (
        _page_references(type(document)).filter(to_object_id=str(document.pk)).values_list("object_id", flat=True)
    )
    for page in Page.objects.live().filter(pk__in=[int(pk) for pk in set(page_ids)]):
        if all(restriction.accept_request(request) for restriction in page.get_view_restrictions()):
            return True
    return False
