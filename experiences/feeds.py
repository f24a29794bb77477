"""RSS and Atom feeds of new experience reports, one per language (and per filter)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .filters import base_queryset, filter_experiences

FEED_SIZE = 30


class LatestExperiencesFeed(Feed):
    """The newest reports under one experiences index; list filters in the query string apply."""

    def get_object(self, request, index):
        self.request = request
        return index

    def title(self, index) -> str:
        return _("%(title)s — new experience reports · Cooperation Hub") % {"title": index.title}

    def link(self, index) -> str:
        return index.url

    def description(self, index) -> str:
        return index.intro or _("New experience reports published on Cooperation Hub.")

    def feed_url(self, index) -> str:
        return self.request.get_full_path()

    def items(self, index):
        params = self.request.GET.copy()
        params.pop("sort", None)
        base = base_queryset(index.locale).child_of(index)
        result = filter_experiences(params, index.locale, index.locale.language_code, with_facets=False, base=base)
        queryset = getattr(result.queryset, "queryset", result.queryset)
        return queryset.order_by("-first_published_at", "-pk").prefetch_related("themes", "tagged_items__tag")[
            :FEED_SIZE
        ]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return f"{item.city.name} ({item.city.country}) — {item.summary}"

    def item_link(self, item) -> str:
        return item.url

    def item_guid(self, item) -> str:
        return item.full_url or item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item) -> list[str]:
        return [theme.label for theme in item.themes.all()] + [t.tag.name for t in item.tagged_items.all()]


class LatestExperiencesAtomFeed(LatestExperiencesFeed):
    feed_type = Atom1Feed

    def subtitle(self, index) -> str:
        return self.description(index)
