"""Who may do what, across the site: anonymous visitors write nothing, a
contributor stays out of the admin and never sees what moderators hid, and a
signed link acts only for the subscriber it was sent to.

(Ownership, moderation permissions, review before publication and token
signatures have their own tests in each app; these fill the gaps between.)
"""

import json

import pytest
from django.test import Client

from contributions import actions
from contributions.models import Contribution, Reply, Report, Support
from subscriptions import tokens
from subscriptions.models import Subscription
from tests.contributions.conftest import make_contribution, make_member
from tests.hostile import database_search_only  # noqa: F401 - fixture
from tests.subscriptions.helpers import subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search_only")]


@pytest.fixture
def world(consultation):
    author = make_member("author")
    contribution = make_contribution(consultation, author)
    reply = Reply.objects.create(contribution=contribution, author=author, body="<p>Une réponse.</p>")
    return {"consultation": consultation, "contribution": contribution, "author": author, "reply": reply}


def _write_requests(world) -> list[tuple[str, dict]]:
    """Every URL that writes something, with what a member would post to it."""
    base = world["consultation"].url
    c = world["contribution"].pk
    return [
        (base, {"title": "Anonyme", "body": "Un texte anonyme assez long pour passer.", "website": ""}),
        (
            f"{base}contributions/{c}/edit/",
            {"title": "Pris", "body": "Un texte réécrit par un inconnu.", "website": ""},
        ),
        (f"{base}contributions/{c}/withdraw/", {}),
        (f"{base}contributions/{c}/reply/", {"body": "Une réponse anonyme.", "website": ""}),
        (f"{base}contributions/{c}/support/", {"supported": "1"}),
        (f"{base}contributions/{c}/report/", {"reason": "Signalement anonyme", "website": ""}),
        (
            f"{base}contributions/{c}/replies/{world['reply'].pk}/report/",
            {"reason": "Signalement anonyme", "website": ""},
        ),
        ("/fr/accounts/profile/", {"display_name": "Pirate", "language": "fr"}),
        ("/admin/moderation/", {"contribution": c, "operation": "hide", "reason": "Masqué par un anonyme"}),
        ("/admin/moderation/", {"reply": world["reply"].pk, "operation": "hide", "reason": "Masqué par un anonyme"}),
        ("/admin/pages/add/experiences/experiencepage/3/", {"title": "Anonyme"}),
        ("/api/search/", {"q": "x"}),
        ("/api/v2/pages/", {"title": "x"}),
    ]


def _stored() -> tuple[int, ...]:
    return (
        Contribution.objects.count(),
        Reply.objects.count(),
        Support.objects.count(),
        Report.objects.count(),
        Contribution.objects.exclude(state=Contribution.State.PUBLISHED).count(),
        Reply.objects.exclude(state=Contribution.State.PUBLISHED).count(),
        Contribution.objects.filter(title__in=["Anonyme", "Pris"]).count(),
    )


def test_an_anonymous_visitor_can_write_nowhere(client, world):
    before = _stored()
    for url, data in _write_requests(world):
        response = client.post(url, data)
        if response.status_code in (301, 302):
            # Only ever to the sign-in page, never to a "done" page.
            assert "login" in response["Location"], (url, response["Location"])
        else:
            assert response.status_code in (400, 403, 404, 405), (url, response.status_code)
    assert _stored() == before
    world["contribution"].refresh_from_db()
    assert world["contribution"].title == "A contribution"


def test_a_contributor_cannot_reach_the_admin(client, member):
    client.force_login(member)
    for url in ("/admin/", "/admin/pages/", "/admin/moderation/", "/admin/users/", "/admin/documents/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"]


def test_another_contributor_never_sees_a_hidden_or_withdrawn_contribution(
    client, consultation, member, other_member, moderator
):
    hidden = make_contribution(consultation, member, title="Quokkarivière Zébulonnade cachée")
    withdrawn = make_contribution(consultation, member, title="Quokkarivière Zébulonnade retirée")
    actions.hide(moderator, hidden, "Hors charte")
    actions.withdraw_contribution(member, withdrawn)
    client.force_login(other_member)
    for c in (hidden, withdrawn):
        assert client.get(c.url).status_code == 404
        for action in ("edit", "reply", "report", "support"):
            assert client.post(f"{consultation.url}contributions/{c.pk}/{action}/", {}).status_code in (403, 404)
    pages = [
        consultation.url,
        consultation.url + "synthesis/",
        consultation.url + "?q=Quokkarivière",
        consultation.url + "export/csv/",
        "/fr/search/?q=Quokkarivière&type=contribution",
    ]
    for url in pages:
        assert "Zébulonnade" not in client.get(url).content.decode("utf-8-sig"), url
    exported = json.loads(client.get(consultation.url + "export/json/").content)
    assert not [x for x in exported["contributions"] if "Zébulonnade" in x["title"]]
    api = client.get("/api/search/", {"q": "Quokkarivière", "type": "contribution"}).json()
    assert api["count"] == 0 and api["results"] == []


def test_a_signed_link_replayed_for_another_subscriber_acts_on_nobody(client):
    alice = subscriber("alice-replay@example.org")
    bob = subscriber("bob-replay@example.org")
    alice_links = {
        kind: f"/en/subscriptions/{kind}/{tokens.make_token(alice, purpose)}/"
        for kind, purpose in (("manage", tokens.MANAGE), ("unsubscribe", tokens.UNSUBSCRIBE))
    }
    # Alice's row is re-used for Bob's address (e.g. she changed it): her old links are dead.
    Subscription.objects.filter(pk=alice.pk).update(email="mallory-replay@example.org")
    for url in alice_links.values():
        assert client.get(url).status_code == 400
        assert Client().post(url, {"frequency": "daily", "language": "en"}).status_code in (400, 403)
    # A link's purpose cannot be swapped: Bob's manage link does not unsubscribe him.
    manage_token = tokens.make_token(bob, tokens.MANAGE)
    assert client.post(f"/en/subscriptions/unsubscribe/{manage_token}/").status_code == 400
    for sub in (alice, bob):
        sub.refresh_from_db()
        assert sub.unsubscribed_at is None
