"""Pictures and documents of a report: the renditions each place uses, read without a query per report.

Every place asks for renditions of a fixed size (no layout shift: the templates
give width and height), so a listing prefetches the cover's renditions with the
pages and pays a constant number of queries, whatever its length. A rendition is
generated once, on the first page that needs it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.fields import Field
from wagtail.images.models import SourceImageIOError

from cooperation_hub.sites import absolute_url

# The one size of the digest e-mail: mail clients ignore srcset, and 520 px fits the
# 600 px column of subscriptions/templates/subscriptions/email/base.html inside its paddings.
EMAIL_COVER_SPEC = "fill-520x273"
# The API gives one large rendition; a client that needs another size has /api/v2/images/<id>/.
API_COVER_SPEC = "max-1200x1200"


COVER_RENDITIONS = "cover_image__renditions"  # prefetched where a list of cards shows the covers


def with_covers(pages: QuerySet) -> QuerySet:
    """The pages with their cover image and its renditions: one query more for the whole list."""
    return pages.select_related("cover_image").prefetch_related(COVER_RENDITIONS)


def cover_rendition(page: Any, spec: str) -> dict | None:
    """{url (absolute), width, height, alt} of the report's cover, or None without one
    (or when its file is missing: a broken picture is left out, not shown broken)."""
    image = getattr(page, "cover_image", None)
    if image is None:
        return None
    try:
        rendition = image.get_rendition(spec)
    except (SourceImageIOError, OSError):
        return None
    return {
        "url": absolute_url(rendition.url),  # e-mails and the API: clients off the site
        "width": rendition.width,
        "height": rendition.height,
        "alt": page.cover_alt,
    }


class CoverField(Field):
    """The cover in /api/v2/pages/: the image's id, one rendition and the report's alt text."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, page: Any) -> dict | None:
        cover = cover_rendition(page, API_COVER_SPEC)
        if cover is None:
            return None
        return {"id": page.cover_image_id, **cover}
