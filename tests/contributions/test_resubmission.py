"""A form posted twice is stored once (issue #16): a web node killed with a POST
in flight loses the answer, not always the row, and the member posts again.

Each form carries a one-time token drawn when it is rendered; the same author
posting the same token gets the first answer back and nothing more is stored."""

import re
import threading
import uuid

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection, connections, transaction
from django.test import Client

from contributions import actions
from contributions.models import Contribution, Reply
from contributions.sanitize import clean_html

from .conftest import make_consultation, make_contribution, make_member

pytestmark = pytest.mark.django_db

TITLE = "Des compteurs partagés entre Lyon et Rabat"
BODY = "Les deux régies comparent leurs relevés chaque mois depuis deux ans."
REPLY = "Nous faisons de même à Dakar depuis l'an dernier."


def _token_in(html: str) -> str:
    match = re.search(r'name="submission_token" value="([0-9a-f]{32})"', html)
    assert match, "the form carries a one-time token"
    return match.group(1)


def _contribute(client, page, token, **extra):
    data = {"title": TITLE, "body": BODY, "tags": "eau", "section": "", "website": "", "submission_token": token}
    data.update(extra)
    return client.post(page.url, data)


def _reply_url(c, action="reply/"):
    return f"{c.consultation.url}contributions/{c.pk}/{action}"


def _answer(client, response) -> tuple[int, str, list[str]]:
    """What the member sees: the status, where it leads, the messages shown there."""
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    client.get(response["Location"])  # shown, hence consumed: the next post starts afresh
    return response.status_code, response["Location"], shown


def test_the_same_contribution_form_posted_twice_is_stored_once_and_both_answers_lead_to_it(
    client, consultation, member
):
    client.force_login(member)
    token = _token_in(client.get(consultation.url).content.decode())
    first = _answer(client, _contribute(client, consultation, token))
    again = _answer(client, _contribute(client, consultation, token))  # the resubmit after a lost answer
    stored = Contribution.objects.get(consultation=consultation, author=member)
    url = f"{consultation.url}contributions/{stored.pk}/"
    assert first == again == (302, url, ["Merci\xa0: votre contribution est publiée."])
    assert stored.submission_token == uuid.UUID(token)


def test_a_replay_is_answered_even_past_the_rate_limit(client, consultation, member, settings):
    settings.CONTRIBUTIONS_RATE_LIMITS = {"contribute": (1, 600)}
    client.force_login(member)
    token = uuid.uuid4().hex
    assert _contribute(client, consultation, token).status_code == 302
    again = _contribute(client, consultation, token)
    assert again.status_code == 302  # not 429: it is the same submission, not a second one
    assert Contribution.objects.filter(author=member).count() == 1


def test_each_rendering_draws_a_new_token_and_two_tokens_store_two(client, consultation, member):
    client.force_login(member)
    one = _token_in(client.get(consultation.url).content.decode())
    two = _token_in(client.get(consultation.url).content.decode())
    assert one != two
    _contribute(client, consultation, one)
    _contribute(client, consultation, two)
    assert Contribution.objects.filter(consultation=consultation, author=member).count() == 2


def test_a_form_refused_keeps_its_token_so_the_retry_is_still_one_submission(client, consultation, member):
    client.force_login(member)
    token = uuid.uuid4().hex
    refused = _contribute(client, consultation, token, body="trop court")
    assert refused.status_code == 400
    assert _token_in(refused.content.decode()) == token


def test_the_same_token_from_another_member_is_another_contribution(client, consultation, member, other_member):
    token = uuid.uuid4().hex
    client.force_login(member)
    _contribute(client, consultation, token)
    client.force_login(other_member)
    _contribute(client, consultation, token)
    assert Contribution.objects.filter(consultation=consultation).count() == 2


def test_a_token_back_with_other_text_is_a_new_contribution_not_lost(client, consultation, member):
    """Back in history to a page with the form, a member writes something new: it is stored."""
    client.force_login(member)
    token = uuid.uuid4().hex
    _contribute(client, consultation, token)
    response = _contribute(client, consultation, token, title="Un autre sujet, écrit après")
    second = Contribution.objects.get(title="Un autre sujet, écrit après")
    assert response["Location"].endswith(f"contributions/{second.pk}/")
    assert second.submission_token is None
    assert Contribution.objects.filter(author=member).count() == 2


@pytest.mark.parametrize("token", [None, "", "pas-un-jeton"])
def test_a_page_without_a_valid_token_is_still_accepted_but_not_deduplicated(client, consultation, member, token):
    """A page rendered before tokens existed, still open in a tab, must not lose its text."""
    client.force_login(member)
    data = {"title": TITLE, "body": BODY, "tags": "", "section": "", "website": ""}
    if token is not None:
        data["submission_token"] = token
    assert client.post(consultation.url, data).status_code == 302
    assert client.post(consultation.url, data).status_code == 302
    assert Contribution.objects.filter(author=member).count() == 2


def test_the_same_reply_posted_twice_is_stored_and_emailed_once(
    client, consultation, member, other_member, django_capture_on_commit_callbacks
):
    c = make_contribution(consultation, other_member)
    client.force_login(member)
    token = _token_in(client.get(_reply_url(c, "")).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        first = _answer(client, client.post(_reply_url(c), {"body": REPLY, "website": "", "submission_token": token}))
        again = _answer(client, client.post(_reply_url(c), {"body": REPLY, "website": "", "submission_token": token}))
    assert first == again == (302, _reply_url(c, "#replies"), ["Votre réponse est publiée."])
    assert Reply.objects.filter(contribution=c, author=member).count() == 1
    assert len(mail.outbox) == 1  # the author hears of it once


def test_two_reply_tokens_store_two_replies(client, consultation, member, other_member):
    c = make_contribution(consultation, other_member)
    client.force_login(member)
    for _ in range(2):
        token = _token_in(client.get(_reply_url(c, "")).content.decode())
        client.post(_reply_url(c), {"body": REPLY, "website": "", "submission_token": token})
    assert Reply.objects.filter(contribution=c, author=member).count() == 2


def test_a_replay_after_the_window_closed_is_answered_as_the_first_post_was(consultation, member):
    """The rules decided the first post; its replay is answered with what it earned."""
    from datetime import timedelta

    from django.utils import timezone

    token = uuid.uuid4()
    first = actions.create_contribution(member, consultation, title=TITLE, body=BODY, submission_token=token)
    consultation.closes_at = timezone.now() - timedelta(seconds=1)
    consultation.save_revision().publish()
    again = actions.create_contribution(member, consultation, title=TITLE, body=BODY, submission_token=token)
    assert again.pk == first.pk


# --- Concurrent posts on PostgreSQL ----------------------------------------------------
def _post_in_thread(results: list, barrier: threading.Barrier, user, url: str, data: dict) -> None:
    try:
        client = Client()
        client.force_login(user)
        barrier.wait(timeout=30)
        response = client.post(url, data)
        results.append((response.status_code, response.get("Location")))
    finally:
        connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_one_form_store_one_contribution_on_postgresql(demo):
    from tests.services import require_postgres

    require_postgres()
    page, user = make_consultation(), make_member("carol")
    data = {"title": TITLE, "body": BODY, "tags": "eau", "section": "", "website": ""}
    data["submission_token"] = uuid.uuid4().hex
    results: list = []
    barrier = threading.Barrier(4)
    threads = [
        threading.Thread(target=_post_in_thread, args=(results, barrier, user, page.url, data)) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    stored = Contribution.objects.get(author=user)
    assert Contribution.objects.filter(author=user).count() == 1
    assert results == [(302, f"{page.url}contributions/{stored.pk}/")] * 4


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_post_racing_an_uncommitted_twin_gets_the_twins_reply_on_postgresql(demo):
    """Deterministic race: the twin has inserted but not committed when the post checks
    for it; the post's insert waits on the unique index, loses, and answers with the twin."""
    from tests.services import require_postgres

    require_postgres()
    page, author, user = make_consultation(), make_member("dan"), make_member("erin")
    c = make_contribution(page, author)
    token = uuid.uuid4()
    inserted, release = threading.Event(), threading.Event()
    twin: list = []

    def hold_an_uncommitted_twin():
        try:
            with transaction.atomic():
                twin.append(actions.add_reply(user, c, clean_html(REPLY), submission_token=token))
                inserted.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_an_uncommitted_twin)
    holder.start()
    assert inserted.wait(timeout=30)
    results: list = []
    poster = threading.Thread(
        target=_post_in_thread,
        args=(
            results,
            threading.Barrier(1),
            user,
            _reply_url(c),
            {"body": REPLY, "website": "", "submission_token": token.hex},
        ),
    )
    poster.start()
    for _ in range(300):  # until the post waits on the twin's row lock (bounded)
        if _waiting_on_a_lock():
            break
        threading.Event().wait(0.05)
    else:
        release.set()
        pytest.fail("the second post never waited on the first one's insert")
    release.set()
    holder.join(timeout=30)
    poster.join(timeout=30)
    assert results == [(302, _reply_url(c, "#replies"))]
    assert list(Reply.objects.filter(contribution=c, author=user).values_list("pk", flat=True)) == [twin[0].pk]
