"""Experience reports: what a city tried, with whom, and what others can reuse."""

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import translation
from django.utils.text import capfirst, slugify
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework.serializers import Field, ModelSerializer, SlugRelatedField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.documents import get_document_model_string
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from cooperation_hub.panels import LabelledInlinePanel
from cooperation_hub.process_memo import forget, kept_by_process
from cooperation_hub.text import sort_key
from cooperation_hub.visibility import HubPageManager, KeptViewRestrictions

from . import vocabulary
from .blocks import StoryBlock
from .forms import ExperiencePageForm
from .media import CoverField
from .regions import country_name, is_country_code, region_for_country


class BilingualTerm(models.Model):
    """A term of the controlled vocabulary, stored for joins and counts.

    The row holds only the term's key; its labels are read from experiences/vocabulary.py,
    the one place they are written (migration 0002 seeds the rows from it).
    """

    vocabulary_terms: ClassVar[dict[str, vocabulary.Term]] = {}

    class Meta:
        abstract = True

    def vocabulary_key(self) -> str:
        raise NotImplementedError

    @property
    def term(self) -> vocabulary.Term:
        key = self.vocabulary_key()
        # A row the vocabulary does not know (never seeded so) still shows its key.
        return self.vocabulary_terms.get(key) or vocabulary.Term(key, key, key)

    @property
    def name_en(self) -> str:
        return self.term.en

    @property
    def name_fr(self) -> str:
        return self.term.fr

    @property
    def label(self) -> str:
        return self.term.label

    def __str__(self) -> str:
        return self.label


class Theme(BilingualTerm):
    slug = models.SlugField(unique=True, max_length=40)

    vocabulary_terms = vocabulary.by_slug(vocabulary.THEMES)

    class Meta:
        ordering = ["id"]

    def vocabulary_key(self) -> str:
        return self.slug


class SustainableDevelopmentGoal(BilingualTerm):
    number = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)])

    vocabulary_terms = vocabulary.by_slug(vocabulary.SDGS)

    class Meta:
        ordering = ["number"]

    def vocabulary_key(self) -> str:
        return str(self.number)

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"


# A snippet: registered in wagtail_hooks.py. django-stubs cannot build the reverse managers of a
# model with an untyped base (Wagtail's index.Indexed).
class City(index.Indexed, models.Model):  # type: ignore[django-manager-missing]
    """A city of the network, shared by every language's pages."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(pgettext_lazy("city", "slug"), max_length=140, unique=True, blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. FR, SN, AE."))
    region_override = models.CharField(
        _("region (override)"),
        max_length=5,
        blank=True,
        choices=vocabulary.choices(vocabulary.REGIONS),
        help_text=_("Leave empty to derive North/South from the country (UN M49)."),
    )
    # Worked out on save; the choices give the admin's list and filters their labels ("Global North").
    region = models.CharField(
        _("region"), max_length=5, editable=False, db_index=True, choices=vocabulary.choices(vocabulary.REGIONS)
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    size = models.CharField(
        _("size"),
        max_length=12,
        blank=True,
        editable=False,
        db_index=True,
        choices=vocabulary.choices(vocabulary.SIZES),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("country"),
        FieldPanel("region_override"),
        FieldPanel("population"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("country"),
    ]

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "country"], name="unique_city_per_country")]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    @classmethod
    def by_slug(cls, slug: str) -> "City | None":
        """The city of ``slug``, kept by the process for the site's generation (a city saved bumps
        it), as its public pages ask for it; an unknown slug is not kept: a city added later is found at once."""
        name = f"city-slug:{slug}"
        city = kept_by_process(name, lambda: cls.objects.filter(slug=slug).first())
        if city is None:
            forget(name)
        return city

    def clean(self) -> None:
        self.country = (self.country or "").upper()
        if not is_country_code(self.country):
            raise ValidationError({"country": _("Enter an ISO 3166-1 alpha-2 country code, e.g. FR.")})
        self.suggest_from_geonames()

    def suggest_from_geonames(self) -> bool:
        """Fill blank coordinates and population from GeoNames when the name and
        country identify a single city there; an editor's values are never replaced."""
        if self.latitude is not None and self.longitude is not None and self.population is not None:
            return False
        from .geonames import lookup

        match = lookup(self.name, self.country)
        if match is None:
            return False
        changed = False
        if self.latitude is None or self.longitude is None:
            self.latitude, self.longitude = match.latitude, match.longitude
            changed = True
        if self.population is None and match.population:
            self.population = match.population
            changed = True
        return changed

    def save(self, *args, **kwargs) -> None:
        self.country = self.country.upper()
        self.region = self.region_override or region_for_country(self.country)
        self.size = vocabulary.size_class(self.population) or ""
        if not self.slug:
            self.slug = slugify(f"{self.name}-{self.country}")[:140]
        super().save(*args, **kwargs)

    def country_label(self, language: str | None = None) -> str:
        return country_name(self.country, language or get_language() or "fr")

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def osm_url(self) -> str:
        """The city on OpenStreetMap, for readers who want a detailed map."""
        if not self.has_coordinates:
            return ""
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude:.4f}&mlon={self.longitude:.4f}"
            f"#map=11/{self.latitude:.4f}/{self.longitude:.4f}"
        )


class TagNamesField(Field):
    """A page's tag names, sorted, from what was prefetched (Wagtail's own tags
    field queries the database again for each page of a listing)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, manager) -> list[str]:
        return sorted(tag.name for tag in manager.all())


class CitySerializer(ModelSerializer):
    """A city's facts in the API: where it is, which side of the divide, how big."""

    class Meta:
        model = City
        fields = ["name", "slug", "country", "region", "size", "population", "latitude", "longitude"]


class ExperienceIndexPage(KeptViewRestrictions, RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    objects = HubPageManager()  # .visible_to_public(): what every listing starts from

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["experiences.ExperiencePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("experiences index")

    def route(self, request, path_components):
        """The index's routes and reports; then, for a slug no report of this language has,
        the report of another language not translated into this one (experiences.translation)."""
        try:
            return super().route(request, path_components)
        except Http404:
            if self.live and len(path_components) == 1:
                from .translation import find_untranslated

                original = find_untranslated(self, path_components[0])
                if original is not None:
                    return RouteResult(self, args=(self.untranslated_view, (original,), {}))
            raise

    def untranslated_view(self, request, original):
        from .translation import serve_untranslated

        return serve_untranslated(self, request, original)

    # The views live in views.py; these routes only name the URLs under the page.
    @path("")
    def list_view(self, request):
        from .views import experience_list

        return experience_list(self, request)

    @re_path(r"^tag/(?P<slug>[^/]+)/$")
    def tag_view(self, request, slug: str):
        from .views import experience_list

        return experience_list(self, request, locked={"tag": slug})

    @path("theme/<slug:slug>/")
    def theme_view(self, request, slug: str):
        from .views import experience_list

        return experience_list(self, request, locked={"theme": slug})

    @path("city/<slug:slug>/")
    def city_view(self, request, slug: str):
        from .views import city_detail

        return city_detail(self, request, slug)

    @path("map/")
    def map_view(self, request):
        from .views import experience_map

        return experience_map(self, request)

    @path("feed/")
    def rss_view(self, request):
        from .feeds import LatestExperiencesFeed

        return LatestExperiencesFeed()(request, index=self)

    @path("feed/atom/")
    def atom_view(self, request):
        from .feeds import LatestExperiencesAtomFeed

        return LatestExperiencesAtomFeed()(request, index=self)


class ExperiencePageTag(TaggedItemBase):
    content_object = ParentalKey("experiences.ExperiencePage", related_name="tagged_items", on_delete=models.CASCADE)


class ExperiencePage(KeptViewRestrictions, Page):
    """A case study: the facts at a glance, then the story and its lessons."""

    external_id = models.SlugField(
        _("external ID"),
        max_length=120,
        db_index=True,
        blank=True,
        help_text=_(
            "Stable identifier shared by the translations of this report, used by imports and the API. "
            "Leave empty to derive it from the title."
        ),
    )
    summary = models.TextField(_("summary"), max_length=600)
    # The picture is shared by the translations of a report (an image has no language);
    # its alt text is the report's own, written in the report's language, because
    # Wagtail's image "description" is one text for every page and language that uses it.
    cover_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField(
        _("cover image alt text"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it, in the language of this report. "
            "Required when a cover image is chosen."
        ),
    )
    body = StreamField(StoryBlock(), verbose_name=_("story"), blank=True)
    lessons = models.TextField(_("lessons for other cities"), blank=True)
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="experiences")
    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    sdgs = ParentalManyToManyField(SustainableDevelopmentGoal, verbose_name=_("SDGs"), blank=True)
    tags = ClusterTaggableManager(through=ExperiencePageTag, blank=True)
    status = models.CharField(
        # A context of its own: Wagtail's "status" (live, draft…) is another word in French.
        pgettext_lazy("experience progress", "status"),
        max_length=12,
        choices=vocabulary.choices(vocabulary.STATUSES),
        default="in_progress",
        db_index=True,
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    actors = models.JSONField(_("actors"), default=list, blank=True)
    budget = models.CharField(_("budget"), max_length=120, blank=True)
    funding = models.CharField(_("funding"), max_length=250, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # The title as the list sorts it A to Z (cooperation_hub.text.sort_key), set on every save:
    # neither SQLite nor a PostgreSQL database in the C collation orders "É" before "F".
    sort_title = models.CharField(max_length=255, null=True, editable=False)
    contact_role_email = models.EmailField(
        _("contact (role address)"),
        blank=True,
        help_text=_("A shared role address such as cooperation@city.example, never a personal one."),
    )

    objects = HubPageManager()  # .visible_to_public(): what every listing starts from

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_alt")],
            heading=_("Cover image"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("city"),
                LabelledInlinePanel(
                    "partner_cities",
                    heading=capfirst(_("partner cities")),
                    label=_("partner city"),
                    add_label=_("Add a partner city"),
                ),
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("sdgs", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
                FieldPanel("actors"),
                FieldRowPanel([FieldPanel("budget"), FieldPanel("funding")]),
                FieldPanel("source_url"),
                FieldPanel("contact_role_email"),
            ],
            heading=_("Facts at a glance"),
        ),
        FieldPanel("body"),
        LabelledInlinePanel(
            "indicators", heading=capfirst(_("key figures")), label=_("key figure"), add_label=_("Add a key figure")
        ),
        FieldPanel("lessons"),
        LabelledInlinePanel(
            "gallery_images", heading=capfirst(_("gallery")), label=_("picture"), add_label=_("Add a picture")
        ),
        LabelledInlinePanel(
            "attachments", heading=capfirst(_("attachments")), label=_("document"), add_label=_("Add a document")
        ),
    ]
    # Not required (derived from the title when left empty), so it may sit on a tab
    # an officer has no reason to open; it stays editable there.
    settings_panels = Page.settings_panels + [FieldPanel("external_id")]
    base_form_class = ExperiencePageForm

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("lessons"),
        index.RelatedFields("city", [index.SearchField("name"), index.FilterField("country")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("status"),
        index.FilterField("city"),
        index.FilterField("locale"),
        index.AutocompleteField("title"),
    ]
    api_fields = [
        APIField("external_id"),
        APIField("summary"),
        APIField("body"),
        APIField("lessons"),
        APIField("city", serializer=CitySerializer(read_only=True)),
        APIField("partner_cities"),
        APIField("themes", serializer=SlugRelatedField(many=True, read_only=True, slug_field="slug")),
        APIField("sdgs", serializer=SlugRelatedField(many=True, read_only=True, slug_field="number")),
        APIField("tags", serializer=TagNamesField()),
        APIField("status"),
        APIField("start_year"),
        APIField("end_year"),
        APIField("actors"),
        APIField("indicators"),
        APIField("budget"),
        APIField("funding"),
        APIField("source_url"),
        APIField("contact_role_email"),
        APIField("cover", serializer=CoverField(source="*")),
    ]

    parent_page_types = ["experiences.ExperienceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("experience report")
        verbose_name_plural = _("experience reports")

    def full_clean(self, *args, **kwargs) -> None:
        # Before field validation, so that a report saved without one is valid.
        if not self.external_id:
            self.external_id = self.generate_external_id()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        if not self.external_id:
            self.external_id = self.generate_external_id()
        self.sort_title = sort_key(self.title)
        return super().save(*args, **kwargs)

    def generate_external_id(self) -> str:
        """A slug of the title, like the importer's ids ("bethune-smart-city"), not used by another report.

        Translations share their report's id, so only pages of another translation key count as taken.
        """
        max_length = self._meta.get_field("external_id").max_length - 4  # room for a "-NNN" suffix
        base = slugify(self.title or self.draft_title or "")[:max_length].strip("-") or "report"
        taken = set(
            ExperiencePage.objects.filter(external_id__startswith=base)
            .exclude(translation_key=self.translation_key)
            .values_list("external_id", flat=True)
        )
        candidate, suffix = base, 1
        while candidate in taken:
            suffix += 1
            candidate = f"{base}-{suffix}"
        return candidate

    def clean(self) -> None:
        super().clean()
        if (
            self.external_id
            and ExperiencePage.objects.filter(external_id=self.external_id)
            .exclude(translation_key=self.translation_key)
            .exists()
        ):
            raise ValidationError({"external_id": _("Another report already uses this external ID.")})
        if self.cover_image_id and not (self.cover_alt or "").strip():
            raise ValidationError({"cover_alt": _("Describe the cover image for readers who cannot see it.")})
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The end year cannot come before the start year.")})
        unknown = set(self.actors or []) - set(vocabulary.by_slug(vocabulary.ACTORS))
        if unknown:
            raise ValidationError({"actors": _("Unknown actors: %s") % ", ".join(sorted(unknown))})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The parent read as an index in one statement (get_parent().specific takes two), kept by the
        # process for the site's generation; a report outside an index (none is allowed,
        # parent_page_types) has none. What the body shows is read by ``reading_context`` only
        # when the body is rendered (experiences_tags.report_part keeps it rendered).
        parent_path = self.path[: -self.steplen]
        context["index"] = kept_by_process(
            f"index_at:{parent_path}", lambda: ExperienceIndexPage.objects.filter(path=parent_path).first()
        )
        return context

    def reading_context(self, request) -> dict:
        """What the report's body and <head> lines show besides the page: its partners, its
        JSON-LD, its small map; its images, documents, themes, goals, tags and figures read
        once for them all (a fixed number of statements however many partners)."""
        prefetch_related_objects(
            [self],
            "partner_cities__city",
            "cover_image__renditions",
            "gallery_images__image__renditions",
            "attachments__document",
            # Read by the JSON-LD and again by the template: once.
            "themes",
            "sdgs",
            "tags",
            "indicators",
        )
        context: dict[str, Any] = {"partners": list(self.partner_cities.all()), "json_ld": self.json_ld(request)}
        if self.city.has_coordinates or any(p.city.has_coordinates for p in context["partners"]):
            from .mapping import build_map

            context["network"] = build_map([self])
        return context

    def json_ld(self, request=None) -> dict:
        """schema.org Article describing the report, its place and its partners."""
        language = self.locale.language_code

        def place(city: City) -> dict:
            data = {
                "@type": "City",
                "name": city.name,
                "address": {"@type": "PostalAddress", "addressCountry": city.country},
            }
            if city.has_coordinates:
                data["geo"] = {"@type": "GeoCoordinates", "latitude": city.latitude, "longitude": city.longitude}
            return data

        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "@id": (full_url := self.get_full_url(request)),
            "url": full_url,
            "identifier": self.external_id,
            "headline": self.title,
            "description": self.summary,
            "inLanguage": language,
            "contentLocation": place(self.city),
            "spatialCoverage": [place(p.city) for p in self.partner_cities.all()],
            "about": [{"@type": "Thing", "name": getattr(t.term, language, t.name_en)} for t in self.themes.all()],
            "keywords": [tag.name for tag in self.tags.all()],
            # A word in the report's language, as schema.org expects ("Completed", "Réalisé"), not our stored key.
            "creativeWorkStatus": self._status_in(language),
            "publisher": {"@type": "Organization", "name": "Cooperation Hub"},
        }
        if self.first_published_at:
            data["datePublished"] = self.first_published_at.isoformat()
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        if self.start_year:
            data["temporalCoverage"] = f"{self.start_year}/{self.end_year or '..'}"
        if self.source_url:
            data["isBasedOn"] = self.source_url
        return data

    @property
    def region(self) -> str:
        return self.city.region

    @property
    def size(self) -> str:
        return self.city.size

    def size_label(self) -> str:
        term = vocabulary.by_slug(vocabulary.SIZES).get(self.city.size)
        return term.label if term else ""

    def status_label(self) -> str:
        return vocabulary.by_slug(vocabulary.STATUSES)[self.status].label

    def _status_in(self, language: str) -> str:
        with translation.override(language):
            return str(self.status_label())

    def actor_labels(self) -> list[str]:
        actors = vocabulary.by_slug(vocabulary.ACTORS)
        return [actors[a].label for a in self.actors if a in actors]


class ExperiencePartnerCity(Orderable):
    """A partner of the cooperation pair; a North–South link is a first-class fact."""

    experience = ParentalKey(ExperiencePage, related_name="partner_cities", on_delete=models.CASCADE)
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("city")]
    api_fields = [APIField("city", serializer=CitySerializer(read_only=True))]

    @property
    def crosses_divide(self) -> bool:
        return self.city.region != self.experience.city.region


class ExperienceIndicator(Orderable):
    """A key figure, such as a happiness index, with its unit and year."""

    experience = ParentalKey(ExperiencePage, related_name="indicators", on_delete=models.CASCADE)
    name = models.CharField(_("indicator"), max_length=120)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("value"), FieldPanel("unit"), FieldPanel("year")]
    api_fields = [APIField("name"), APIField("value"), APIField("unit"), APIField("year")]


class ExperienceGalleryImage(Orderable):
    """A picture of the project, with what it shows (alt) and an optional caption."""

    experience = ParentalKey(ExperiencePage, related_name="gallery_images", on_delete=models.CASCADE)
    image = models.ForeignKey(
        get_image_model_string(), verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]


class ExperienceAttachment(Orderable):
    """A document of the project (a report, a budget, a presentation) offered for download.

    It is served at /documents/ only while a page the reader may see uses it
    (cooperation_hub.visibility.document_visible_to): never for a draft or a private report.
    """

    experience = ParentalKey(ExperiencePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        get_document_model_string(), verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        _("title"), max_length=250, blank=True, help_text=_("Leave empty to use the document's own title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def label(self) -> str:
        return self.title or self.document.title
