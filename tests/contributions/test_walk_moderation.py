"""Walked as a contributor and a moderator: the author was offered to report their own
contribution to the moderators (never their own reply), and the French queue glued the
reporter's colon to the date ("(30/11/2026 05:23): …")."""

import pytest

from contributions import actions

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db


def test_the_author_is_not_offered_to_report_their_own_contribution(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    client.force_login(member)
    assert f"contributions/{c.pk}/report/" not in client.get(c.url).content.decode()
    client.force_login(other_member)
    assert f"contributions/{c.pk}/report/" in client.get(c.url).content.decode()


def test_the_french_queue_puts_a_non_breaking_space_before_the_reporters_colon(client, consultation, member, moderator):
    c = make_contribution(consultation, member, title="Contribution signalée")
    actions.report_contribution(make_member("r"), c, "Hors sujet et agressif")
    client.force_login(moderator)
    html = client.get("/admin/moderation/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ")\xa0: Hors sujet et agressif" in html
