"""A consultation's pages cost a number of database queries that does not grow
with its contributions, replies, supports and tags (pages rendered every time:
no page cache). The listing itself: test_listing.py."""

import pytest

from contributions import actions
from tests.experiences.test_page_costs import queries_for

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db


def _activity(consultation, contribution, members, start: int, count: int) -> None:
    for i in range(start, start + count):
        other = make_contribution(consultation, members[i % len(members)], title=f"Idée {i}", tags=[f"t{i}", "commun"])
        # Nobody supports their own contribution (rules.can_support): members[0] wrote the first one.
        actions.set_support(members[i % (len(members) - 1) + 1], contribution, True)
        actions.set_support(members[(i + 1) % len(members)], other, True)
        actions.add_reply(members[i % len(members)], contribution, f"Réponse numéro {i}.")


def test_consultation_pages_cost_the_same_with_one_or_six_contributions(client, consultation, no_page_cache):
    members = [make_member(f"cost{i}") for i in range(6)]
    contribution = make_contribution(consultation, members[0], title="La première", tags=["commun"])
    urls = {
        "consultation page": consultation.url,
        "contribution permalink": f"{consultation.url}contributions/{contribution.pk}/",
        "synthesis": f"{consultation.url}synthesis/",
        "csv export": f"{consultation.url}export/csv/",
        "json export": f"{consultation.url}export/json/",
        "consultation index": consultation.get_parent().url,
    }
    _activity(consultation, contribution, members, 0, 1)
    few = {name: queries_for(client, url) for name, url in urls.items()}
    _activity(consultation, contribution, members, 1, 5)
    many = {name: queries_for(client, url) for name, url in urls.items()}
    assert "Réponse numéro 5." in client.get(urls["contribution permalink"]).content.decode()
    assert many == few
