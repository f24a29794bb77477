"""Wagtail's API v2: pages (with every experience fact), images and documents."""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from taggit.managers import TaggableManager
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cooperation_hub.query import QueryError, check_value_count, parse_int, parse_query
from experiences.models import ExperiencePage

from .visibility import public_documents, public_images

# What an experience's API fields read besides its own row.
EXPERIENCE_RELATIONS = ("partner_cities__city", "indicators", "themes", "sdgs", "tags", "cover_image__renditions")
# Digits of the largest number a parameter may hold: SQLite and PostgreSQL integers have 64 bits.
MAX_ID_DIGITS = 18


def check_api_parameters(params, model=None, operations: frozenset[str] = frozenset()) -> None:
    """Refuse with Wagtail's 400 what would otherwise fail in the database: numbers beyond
    64 bits (ids, offset, related fields), a related object named by anything but its id,
    too many tags, an unknown search operator, a search the parser refuses."""
    for name, values in params.lists():
        if name == "search":
            continue
        for value in values:
            digits = value.strip().removeprefix("-")
            if digits.isdigit() and parse_int(digits, max_digits=MAX_ID_DIGITS) is None:
                raise BadRequestError(_("%(name)s: this number is too large.") % {"name": name})
            if name not in operations:  # ?locale=en names a locale by its code, not its id
                _check_field_value(model, name, value)
    if params.get("search_operator", "and").lower() not in ("and", "or"):
        raise BadRequestError(_("search_operator: use and or or."))
    if "search" in params:
        try:
            parse_query(params["search"])
        except QueryError as exc:
            raise BadRequestError(f"search: {exc.message}") from exc


def _check_field_value(model, name: str, value: str) -> None:
    # Wagtail converts a ForeignKey's value but passes a many-to-many one (themes, sdgs) as typed.
    try:
        field = model._meta.get_field(name) if model is not None else None
    except LookupError:
        return
    if isinstance(field, TaggableManager):
        try:
            check_value_count(value.split(","))  # one join per tag
        except QueryError as exc:
            raise BadRequestError(f"{name}: {exc.message}") from exc
    elif field is not None and field.is_relation and parse_int(value, max_digits=MAX_ID_DIGITS) is None:
        raise BadRequestError(_("%(name)s: expected an id, a whole number.") % {"name": name})


class HubSearchFilter(SearchFilter):
    """Wagtail's ?search=, the backend given only the words and phrases of our parser."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        params = request.GET.copy()
        params["search"] = _safe_search(request.GET["search"])
        original = request._request.GET
        request._request.GET = params  # DRF's request.GET reads the Django request's
        try:
            return super().filter_queryset(request, queryset, view)
        finally:
            request._request.GET = original


def _safe_search(raw: str) -> str:
    parsed = parse_query(raw)  # refused queries never get here (check_api_parameters)
    return " ".join(parsed.all_words)


class SafeParametersMixin:
    """Parameters checked before any filter runs; ``search`` through the hub's parser."""

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        check_api_parameters(self.request.GET, queryset.model, self.known_query_parameters)

    @classmethod
    def _safe_backends(cls, backends):
        return [HubSearchFilter if backend is SearchFilter else backend for backend in backends]


class HubPagesAPIViewSet(SafeParametersMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, an experience's facts fetched in a fixed number
    of queries however many partners, indicators or tags it has."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is ExperiencePage:
            queryset = queryset.select_related("city", "locale", "cover_image").prefetch_related(*EXPERIENCE_RELATIONS)
        return queryset

    def get_object(self):
        page = super().get_object()
        if isinstance(page, ExperiencePage):
            prefetch_related_objects([page], "city", "locale", *EXPERIENCE_RELATIONS)
        return page


class HubImagesAPIViewSet(SafeParametersMixin, ImagesAPIViewSet):
    """Wagtail's images endpoint (the pages' ``cover`` points to it), listing only the
    images a page visible to the public shows: a picture uploaded for a draft or a
    private report stays unlisted, and its detail answers 404."""

    filter_backends = SafeParametersMixin._safe_backends(ImagesAPIViewSet.filter_backends)

    def get_queryset(self):
        return public_images(super().get_queryset())


class HubDocumentsAPIViewSet(SafeParametersMixin, DocumentsAPIViewSet):
    """Wagtail's documents endpoint, listing only the documents a page visible to the
    public links to: a file uploaded for a draft or a private report stays unlisted
    (Wagtail's own collection restrictions still apply)."""

    filter_backends = SafeParametersMixin._safe_backends(DocumentsAPIViewSet.filter_backends)

    def get_queryset(self):
        return public_documents(super().get_queryset())


HubPagesAPIViewSet.filter_backends = SafeParametersMixin._safe_backends(PagesAPIViewSet.filter_backends)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", HubPagesAPIViewSet)
api_router.register_endpoint("images", HubImagesAPIViewSet)
api_router.register_endpoint("documents", HubDocumentsAPIViewSet)
