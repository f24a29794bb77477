"""Support counts read the same way in the singular and the plural (issue #15: the
consultation said "1 intéressé·e" beside "2 intéressés"): inclusive French in both."""

import pytest

from contributions.models import Support

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db


def _supported_by(contribution, count: int) -> None:
    for i in range(count):
        Support.objects.create(contribution=contribution, user=make_member(f"fan{contribution.pk}x{i}"))


def test_singular_and_plural_support_counts_use_the_same_inclusive_form(client, consultation, member, no_page_cache):
    one = make_contribution(consultation, member, title="Une seule voix")
    two = make_contribution(consultation, member, title="Deux voix")
    _supported_by(one, 1)
    _supported_by(two, 2)
    listing = client.get(consultation.url).content.decode()
    assert "1 intéressé·e par un échange" in listing and "2 intéressé·es par un échange" in listing
    assert "intéressés" not in listing
    detail = client.get(f"{consultation.url}contributions/{two.pk}/").content.decode()
    assert "2 membres intéressé·es par un échange" in detail and "intéressés" not in detail
    detail = client.get(f"{consultation.url}contributions/{one.pk}/").content.decode()
    assert "1 membre intéressé·e par un échange" in detail
