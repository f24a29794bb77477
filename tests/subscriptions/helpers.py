"""Builders for subscription tests: published experiences and subscribers at chosen instants."""

import itertools
from datetime import datetime, timedelta

from django.utils import timezone
from wagtail.models import Locale

from experiences.models import City, ExperienceIndexPage, ExperiencePage, SustainableDevelopmentGoal, Theme
from subscriptions.models import Subscription

_counter = itertools.count(1)


def city(name: str, country: str, population: int) -> City:
    obj, _created = City.objects.get_or_create(name=name, country=country, defaults={"population": population})
    if obj.population != population:
        obj.population = population
        obj.save()
    return obj


def publish_experience(
    *,
    title: str,
    city: City,
    themes: list[str] = (),
    sdgs: list[int] = (),
    tags: list[str] = (),
    status: str = "in_progress",
    language: str = "en",
    at: datetime | None = None,
    external_id: str | None = None,
    translation_of: ExperiencePage | None = None,
) -> ExperiencePage:
    parent = ExperienceIndexPage.objects.get(locale__language_code=language)
    n = next(_counter)
    page = ExperiencePage(
        title=title,
        slug=f"t-{n}-{language}",
        external_id=external_id or f"test-{n}",
        summary=f"Summary of {title}.",
        city=city,
        status=status,
        locale=Locale.objects.get(language_code=language),
    )
    if translation_of is not None:
        page.translation_key = translation_of.translation_key
        page.external_id = translation_of.external_id
    parent.add_child(instance=page)
    page.themes.set(Theme.objects.filter(slug__in=themes))
    page.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=sdgs))
    page.tags.set(list(tags))
    page.save_revision().publish()
    if at is not None:
        ExperiencePage.objects.filter(pk=page.pk).update(first_published_at=at, last_published_at=at)
        page.refresh_from_db()
    return page


_DEFAULT = object()


def subscriber(email: str | None = None, *, confirmed_at=_DEFAULT, themes: list[str] = (), **fields) -> Subscription:
    fields.setdefault("language", "en")
    sub = Subscription.objects.create(
        email=email or f"reader{next(_counter)}@example.org",
        confirmed_at=timezone.now() - timedelta(days=3) if confirmed_at is _DEFAULT else confirmed_at,
        **fields,
    )
    if themes:
        sub.themes.set(Theme.objects.filter(slug__in=themes))
    return sub
