"""Fixtures of the contributions tests: a consultation of their own (open now,
in French with an English translation) and verified members."""

import itertools
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

_seq = itertools.count()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limiter counts in the cache, which outlives a test.
    cache.clear()
    yield


def make_consultation(opens_at=None, closes_at=None, slug=None, sections=("alpha", "beta"), tags=("energy",)):
    from wagtail.models import Locale

    from contributions.models import ConsultationIndexPage, ConsultationPage, ConsultationSection

    now = timezone.now()
    n = next(_seq)
    index = ConsultationIndexPage.objects.get(locale__language_code="fr")
    page = ConsultationPage(
        title=f"Consultation de test {n}",
        slug=slug or f"test-consultation-{n}-{now.timestamp():.0f}",
        question="Comment coopérer ?",
        opens_at=opens_at or now - timedelta(days=1),
        closes_at=closes_at or now + timedelta(days=1),
        locale=index.locale,
    )
    page.sections = [ConsultationSection(slug=s, title=f"Section {s}", sort_order=i) for i, s in enumerate(sections)]
    page.suggested_tags.set(list(tags))
    index.add_child(instance=page)
    page.save_revision().publish()
    en = Locale.objects.get(language_code="en")
    translation = page.copy_for_translation(en, copy_parents=False, alias=False)
    translation.title = f"Test consultation {n}"
    translation.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def consultation(demo):
    return make_consultation()


@pytest.fixture
def consultation_en(consultation):
    return consultation.translation_pages().get(locale__language_code="en")


def make_member(name="member", verified=True, **extra):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    n = next(_seq)
    email = f"{name}{n}@example.org"
    user = get_user_model().objects.create_user(
        username=f"{name}{n}",
        email=email,
        password="a-long-test-password-42",
        display_name=extra.pop("display_name", f"{name.title()} {n}"),
        city=extra.pop("city", "Dakar"),
        organisation=extra.pop("organisation", "Ville de Dakar"),
        **extra,
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def member(db):
    return make_member("alice")


@pytest.fixture
def other_member(db):
    return make_member("bob", language="en")


@pytest.fixture
def moderator(db):
    from django.contrib.auth import get_user_model

    n = next(_seq)
    return get_user_model().objects.create_superuser(
        username=f"moderator{n}",
        email=f"moderator{n}@example.org",
        password="a-long-test-password-42",
        display_name=f"Moderator {n}",
    )


def make_contribution(consultation, author, title="A contribution", body="<p>Some words worth reading.</p>", **kw):
    from contributions.models import Contribution

    tags = kw.pop("tags", [])
    c = Contribution.objects.create(consultation=consultation, author=author, title=title, body=body, **kw)
    c.tags.set(tags)
    return c
