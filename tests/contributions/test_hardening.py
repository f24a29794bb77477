"""Found by an outside attack (issue #11): display names that lie, a name that
broke a reply e-mail's header, and malformed moderation forms."""

import pytest
from django.core.mail import BadHeaderError

from contributions import actions
from contributions.models import ReplyNotification

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db


def _signup(client, display_name, email="newcomer@example.org"):
    return client.post(
        "/en/accounts/signup/",
        {
            "email": email,
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
            "display_name": display_name,
        },
    )


@pytest.mark.parametrize(
    "name",
    [
        "Alice\u202eecilA",  # right-to-left override: shows as "AliceAlice" reversed
        "Ali\u200bce",  # zero-width space
        "Alice\r\nBcc: everyone@example.org",
        "Alice\u2028Martin",  # line separator
    ],
)
def test_invisible_and_control_characters_are_refused_at_sign_up(client, name):
    response = _signup(client, name)
    assert response.status_code == 200
    assert "invisible or control characters" in response.content.decode()


@pytest.mark.parametrize(
    "lookalike",
    [
        "ALICE MARTIN",  # case
        "Alice  Martin",  # spacing
        "\uff21lice Martin",  # full-width A (NFKC)
        "\u0410lice Martin",  # Cyrillic A
        "AIice Martin",  # capital i for l
    ],
)
def test_a_name_that_reads_like_another_members_is_refused(client, lookalike):
    make_member("victim", display_name="Alice Martin")
    response = _signup(client, lookalike)
    assert response.status_code == 200
    assert "Another member already uses this name" in response.content.decode()


def test_the_profile_page_refuses_a_lookalike_but_keeps_ones_own_name(client, member, other_member):
    client.force_login(member)
    taken = client.post("/fr/accounts/profile/", {"display_name": other_member.display_name.upper(), "language": "fr"})
    assert taken.status_code == 400 and "Un autre membre utilise déjà ce nom" in taken.content.decode()
    kept = client.post("/fr/accounts/profile/", {"display_name": member.display_name, "language": "fr"})
    assert kept.status_code == 302


def test_a_name_stored_with_a_line_break_still_gets_its_reply_email_sent(
    consultation, member, mailoutbox, django_capture_on_commit_callbacks
):
    # Stored before the rules above (or by the admin): never raw in a header.
    replier = make_member("crlf", display_name="Mallory\r\nBcc: everyone@example.org")
    contribution = make_contribution(consultation, member)
    with django_capture_on_commit_callbacks(execute=True):
        reply = actions.add_reply(replier, contribution, "<p>Nous aimerions en parler.</p>")
    reply.refresh_from_db()
    assert reply.notification.state == ReplyNotification.State.SENT
    assert len(mailoutbox) == 1 and mailoutbox[0].subject.startswith("Mallory Bcc: everyone@example.org ")
    assert mailoutbox[0].recipients() == [member.email]


def test_a_header_the_mail_library_refuses_is_failed_not_pending_forever(
    consultation, member, other_member, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise BadHeaderError("Header values can't contain newlines")

    monkeypatch.setattr("contributions.tasks.send_mail", refuse)
    contribution = make_contribution(consultation, member)
    with django_capture_on_commit_callbacks(execute=True):
        reply = actions.add_reply(other_member, contribution, "<p>Nous aimerions en parler.</p>")
    reply.refresh_from_db()
    assert reply.notification.state == ReplyNotification.State.FAILED
    assert "BadHeaderError" in reply.notification.last_error


@pytest.mark.parametrize(
    "data",
    [
        {"contribution": "not-a-number", "operation": "hide", "reason": "Injures répétées"},
        {"reply": "1; DROP TABLE", "operation": "hide", "reason": "Injures répétées"},
        {"contribution": "99999999999999999999999", "operation": "hide", "reason": "Injures répétées"},
        {"operation": "hide", "reason": "Injures répétées"},
    ],
)
def test_a_malformed_moderation_form_is_a_400_not_a_500(client, moderator, data):
    client.force_login(moderator)
    assert client.post("/admin/moderation/", data).status_code == 400
