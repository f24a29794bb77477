"""Wagtail's API v2: pages (with every experience fact), images and documents."""

from django.db.models import prefetch_related_objects
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from experiences.models import ExperiencePage

# What an experience's API fields read besides its own row.
EXPERIENCE_RELATIONS = ("partner_cities__city", "indicators", "themes", "sdgs", "tags")


class HubPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, an experience's facts fetched in a fixed number
    of queries however many partners, indicators or tags it has."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is ExperiencePage:
            queryset = queryset.select_related("city", "locale").prefetch_related(*EXPERIENCE_RELATIONS)
        return queryset

    def get_object(self):
        page = super().get_object()
        if isinstance(page, ExperiencePage):
            prefetch_related_objects([page], "city", "locale", *EXPERIENCE_RELATIONS)
        return page


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", HubPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
