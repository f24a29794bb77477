"""Replies (one level), supports ("interested in an exchange?"), their counts,
and the e-mail to the author."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contributions.models import NotificationPreference, Reply, Support

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db


def _url(c, action=""):
    return f"{c.consultation.url}contributions/{c.pk}/{action}"


def test_a_reply_is_published_and_counted(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    client.force_login(other_member)
    response = client.post(_url(c, "reply/"), {"body": "Nous avons essayé la même chose à Dakar.", "website": ""})
    assert response.status_code == 302
    reply = Reply.objects.get(contribution=c)
    assert reply.author == other_member and reply.body == "<p>Nous avons essayé la même chose à Dakar.</p>"
    page = client.get(_url(c)).content.decode()
    assert "Nous avons essayé la même chose à Dakar." in page and "1 réponse" in page


def test_the_author_is_emailed_in_their_language_when_someone_replies(
    client, consultation, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    c = make_contribution(consultation, member, title="Écoles jumelées")
    client.force_login(other_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(c, "reply/"), {"body": "Bonne idée, parlons-en.", "website": ""})
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [member.email]
    assert other_member.public_name in mail.subject and "« Écoles jumelées »" in mail.subject
    assert (
        "Bonne idée, parlons-en." in mail.body
        and f"/fr/consultations/{consultation.slug}/contributions/{c.pk}/" in mail.body
    )
    assert other_member.email not in mail.body  # never the replier's address
    # The text part greets and is signed like the site's other e-mails.
    assert mail.body.startswith(f"Bonjour {member.public_name},")
    assert "\n--\n" in mail.body and "villes qui apprennent les unes des autres" in mail.body


def test_an_author_who_opted_out_is_not_emailed(
    client, consultation, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=member, email_on_reply=False)
    c = make_contribution(consultation, member)
    client.force_login(other_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(c, "reply/"), {"body": "Une réponse sans e-mail.", "website": ""})
    assert Reply.objects.filter(contribution=c).exists()
    assert mailoutbox == []


def test_replying_to_oneself_sends_no_email(
    client, consultation, member, mailoutbox, django_capture_on_commit_callbacks
):
    c = make_contribution(consultation, member)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(c, "reply/"), {"body": "Une précision.", "website": ""})
    assert mailoutbox == []


def test_a_reply_sent_after_closing_is_refused_and_given_back(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    client.force_login(other_member)
    assert 'name="body"' in client.get(_url(c)).content.decode()
    consultation.closes_at = timezone.now() - timedelta(seconds=1)
    consultation.save_revision().publish()
    response = client.post(_url(c, "reply/"), {"body": "Arrivée trop tard.", "website": ""})
    assert response.status_code == 403
    html = response.content.decode()
    assert "les réponses ne sont plus acceptées" in html and "Arrivée trop tard." in html
    assert not Reply.objects.filter(contribution=c).exists()


def test_one_support_per_account_which_can_be_withdrawn(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    client.force_login(other_member)
    client.post(_url(c, "support/"), {"supported": "1"})
    client.post(_url(c, "support/"), {"supported": "1"})  # a double click changes nothing
    assert Support.objects.filter(contribution=c).count() == 1
    assert "1 membre intéressé·e par un échange" in client.get(_url(c)).content.decode()
    client.post(_url(c, "support/"), {"supported": "0"})
    assert not Support.objects.filter(contribution=c).exists()


def test_supporting_after_closing_is_refused_with_a_clear_message(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    consultation.closes_at = timezone.now() - timedelta(seconds=1)
    consultation.save_revision().publish()
    client.force_login(other_member)
    response = client.post(_url(c, "support/"), {"supported": "1"})
    assert response.status_code == 403
    assert "les soutiens ne peuvent plus être donnés" in response.content.decode()
    assert not Support.objects.filter(contribution=c).exists()


def test_an_unverified_account_can_neither_reply_nor_support(client, consultation, member):
    c = make_contribution(consultation, member)
    client.force_login(make_member("unverified", verified=False))
    assert client.post(_url(c, "reply/"), {"body": "Bonjour", "website": ""}).status_code == 403
    assert client.post(_url(c, "support/"), {"supported": "1"}).status_code == 403
    assert not Reply.objects.filter(contribution=c).exists() and not Support.objects.filter(contribution=c).exists()


def test_replies_read_oldest_first_whatever_order_they_were_stored_in(client, consultation, member, other_member):
    # Counting each reply's revisions groups the query: Django then drops the model's
    # default ordering, and the database answered in whatever order it found the rows.
    c = make_contribution(consultation, member)
    now = timezone.now()
    Reply.objects.create(contribution=c, author=other_member, body="<p>Second answer.</p>", created_at=now)
    Reply.objects.create(
        contribution=c, author=member, body="<p>First answer.</p>", created_at=now - timedelta(minutes=5)
    )
    page = client.get(_url(c)).content.decode()
    assert page.index("First answer.") < page.index("Second answer.")
