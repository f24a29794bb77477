"""Walked as a contributor: the sign-up e-mails came as HTML and text in the site's layout,
the reply notification as bare plain text. It now has both parts, in the same layout."""

import pytest

from contributions import actions

from .conftest import make_contribution

pytestmark = pytest.mark.django_db


def test_the_reply_email_has_an_html_part_in_the_site_layout_with_the_reply_escaped(
    consultation, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    member.language = "fr"
    member.save(update_fields=["language"])
    contribution = make_contribution(consultation, member, title="Des écoles jumelées")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(other_member, contribution, "<p>Nous aimerions en parler &lt;vraiment&gt;.</p>")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "<p>" not in message.body  # the text part stays text
    html = dict((kind, body) for body, kind in message.alternatives)["text/html"]
    assert f"Bonjour {member.public_name}," in html
    assert "Des écoles jumelées" in html and "Nous aimerions en parler &lt;vraiment&gt;." in html
    assert "<p>Nous aimerions" not in html  # members' text is never raw HTML in the mail
    assert f'href="{contribution.get_url("fr")}' in html or "#replies" in html
