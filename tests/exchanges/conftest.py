"""Fixtures of the exchanges tests: members of their own (verified or not), two
cities with contacts, and a report of the target city."""

import itertools

import pytest

_seq = itertools.count()


def make_member(name="member", verified=True, language="en", city="", **extra):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    n = next(_seq)
    user = get_user_model().objects.create_user(
        f"x-{name}-{n}",
        f"x-{name}-{n}@example.org",
        "a long enough password 42",
        display_name=f"{name.title()} {n}",
        language=language,
        city=city,
        **extra,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def make_contact(city, name="contact", verified=True, language="fr"):
    from exchanges.models import CityContact

    member = make_member(name, language=language)
    CityContact.objects.create(city=city, member=member, verified=verified, role="Coopération")
    return member


@pytest.fixture
def cities(demo):
    from experiences.models import City

    # Cities with no demo contact: the tests say who answers for them.
    return City.objects.get(name="Cahors"), City.objects.get(name="Da Nang")


@pytest.fixture
def home(cities):
    return cities[0]


@pytest.fixture
def target(cities):
    return cities[1]


@pytest.fixture
def report(target):
    from experiences.models import ExperiencePage

    page = ExperiencePage.objects.live().filter(city=target).first()
    assert page is not None
    return page


@pytest.fixture
def requester(home):
    return make_member("requester", language="en", city=home.name, organisation="Ville de Cahors")


@pytest.fixture
def contact(target):
    return make_contact(target, "contact", language="fr")


@pytest.fixture
def colleague(target):
    return make_contact(target, "colleague", language="en")


@pytest.fixture
def outsider():
    return make_member("outsider")


@pytest.fixture
def send(requester, home, target, report, django_capture_on_commit_callbacks):
    """A request sent through the action, its e-mails sent inline."""
    from exchanges import actions

    def _send(**overrides):
        fields = dict(
            target_city=target,
            requesting_city=home,
            organisation="Ville de Cahors",
            role="Chargée de mission",
            kind="video-call",
            message="Could we have a video call about your project?",
            consent=True,
            report=report,
            languages=["fr", "en"],
        )
        user = overrides.pop("user", requester)
        fields.update(overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return actions.send_request(user, **fields)

    return _send
