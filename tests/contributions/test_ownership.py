"""Authors edit and withdraw their own contributions while the window is open,
with the history kept; nobody touches someone else's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contributions.models import Contribution, ContributionRevision

from .conftest import make_contribution

pytestmark = pytest.mark.django_db


def _edit_url(c):
    return f"{c.consultation.url}contributions/{c.pk}/edit/"


def _withdraw_url(c):
    return f"{c.consultation.url}contributions/{c.pk}/withdraw/"


EDIT = {"title": "Un titre revu", "body": "Un texte revu, avec davantage de détails.", "tags": "revu", "website": ""}


def test_the_author_edits_and_the_previous_version_is_kept(client, consultation, member):
    c = make_contribution(consultation, member, title="Premier titre", body="<p>Premier texte.</p>", tags=["a"])
    client.force_login(member)
    assert client.get(_edit_url(c)).status_code == 200
    response = client.post(_edit_url(c), EDIT)
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.title == "Un titre revu" and [t.name for t in c.tags.all()] == ["revu"]
    revision = ContributionRevision.objects.get(contribution=c)
    assert revision.title == "Premier titre" and revision.body == "<p>Premier texte.</p>" and revision.tags == "a"


def test_someone_else_cannot_edit_or_withdraw_and_gets_a_clear_page(client, consultation, member, other_member):
    c = make_contribution(consultation, member, title="Le mien")
    client.force_login(other_member)
    for response in (
        client.get(_edit_url(c)),
        client.post(_edit_url(c), EDIT),
        client.get(_withdraw_url(c)),
        client.post(_withdraw_url(c)),
    ):
        assert response.status_code == 403
        assert "Seul l&#x27;auteur" in response.content.decode() or "Seul l'auteur" in response.content.decode()
    c.refresh_from_db()
    assert c.title == "Le mien" and c.state == Contribution.State.PUBLISHED
    assert not ContributionRevision.objects.filter(contribution=c).exists()


def test_the_author_withdraws_and_it_disappears_from_the_list(client, consultation, member):
    c = make_contribution(consultation, member, title="Bientôt retirée")
    client.force_login(member)
    assert client.get(_withdraw_url(c)).status_code == 200
    assert client.post(_withdraw_url(c)).status_code == 302
    c.refresh_from_db()
    assert c.state == Contribution.State.WITHDRAWN
    client.logout()
    assert "Bientôt retirée" not in client.get(consultation.url).content.decode()
    assert client.get(c.url).status_code == 404


def test_an_edit_after_closing_is_refused_and_the_text_given_back(client, consultation, member):
    c = make_contribution(consultation, member, title="Avant la clôture")
    client.force_login(member)
    client.get(_edit_url(c))
    consultation.closes_at = timezone.now() - timedelta(seconds=1)
    consultation.save_revision().publish()
    response = client.post(_edit_url(c), EDIT)
    assert response.status_code == 403
    assert "Un texte revu, avec davantage de détails." in response.content.decode()
    c.refresh_from_db()
    assert c.title == "Avant la clôture"
    assert client.post(_withdraw_url(c)).status_code == 403
