"""RSS and Atom feeds of new experience reports, one per language (and per filter)."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .filters import base_queryset, filter_experiences, query_errors

FEED_SIZE = 30


class LatestExperiencesFeed(Feed):
    """The newest reports under one experiences index; list filters in the query string apply."""

    def __call__(self, request, *args, **kwargs):
        # A search the list would refuse (too many words…) is a 400 with the reason, as on the list.
        errors = query_errors(request.GET)
        if errors:
            return HttpResponse("\n".join(errors.values()) + "\n", status=400, content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

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
        queryset = result.matches
        return queryset.order_by("-first_published_at", "-pk").prefetch_related("themes", "tagged_items__tag")[
            :FEED_SIZE
        ]

    def item_title(self, item) -> str:
        return item.title

    def summary_text(self, item) -> str:
        return f"{item.city.name} ({item.city.country}) — {item.summary}"

    def item_description(self, item) -> str:
        # An RSS description is read as HTML: the plain-text summary is
        # escaped, so that "<b>" in it shows as written, not as markup.
        return escape(self.summary_text(item))

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


class PlainTextSummaryAtom1Feed(Atom1Feed):
    """Django's Atom feed announces every summary as HTML; these are plain text."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestExperiencesAtomFeed(LatestExperiencesFeed):
    feed_type = PlainTextSummaryAtom1Feed

    def item_description(self, item) -> str:
        return self.summary_text(item)

    def subtitle(self, index) -> str:
        return self.description(index)
