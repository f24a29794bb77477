"""Moving the reply e-mail's state from Reply's columns to its ledger row
(contributions 0008) loses nothing: every e-mail keeps its state, attempts,
last error and sending time, and a reply that had no e-mail gets no row."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contributions.models import Reply, ReplyNotification

BEFORE = [("contributions", "0007_reply_revisions_synthesis_summary")]
AFTER = [("contributions", "0008_reply_notification_ledger")]
SENT_AT = datetime(2031, 3, 10, 9, 30, tzinfo=UTC)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """Later tests of the same process need every migration, 0008's successors included."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_reply_emails_keep_their_state_across_the_move_to_the_ledger(demo):
    replies = list(Reply.objects.order_by("pk").values_list("pk", flat=True)[:4])
    assert len(replies) == 4, "the demo has replies"
    old_apps = _migrate(BEFORE)
    try:
        OldReply = old_apps.get_model("contributions", "Reply")
        OldReply.objects.filter(pk=replies[0]).update(
            notification="sent", notification_attempts=2, notification_error="451 try later", notified_at=SENT_AT
        )
        OldReply.objects.filter(pk=replies[1]).update(
            notification="pending", notification_attempts=1, notification_error="421 busy"
        )
        OldReply.objects.filter(pk=replies[2]).update(
            notification="failed", notification_attempts=6, notification_error="550 Mailbox unavailable"
        )
        OldReply.objects.filter(pk=replies[3]).update(notification="")
    finally:
        _migrate(AFTER)
    rows = {n.reply_id: n for n in ReplyNotification.objects.filter(reply_id__in=replies)}
    assert set(rows) == set(replies[:3])  # no e-mail, no row
    sent, pending, failed = (rows[pk] for pk in replies[:3])
    assert (sent.state, sent.attempts, sent.last_error, sent.sent_at) == ("sent", 2, "451 try later", SENT_AT)
    assert (pending.state, pending.attempts, pending.last_error) == ("claimed", 1, "421 busy")
    assert (failed.state, failed.attempts, failed.last_error) == ("failed", 6, "550 Mailbox unavailable")
    # Back again (a rollback of the release): the columns get their values back.
    old_apps = _migrate(BEFORE)
    try:
        OldReply = old_apps.get_model("contributions", "Reply")
        back = dict(OldReply.objects.filter(pk__in=replies).values_list("pk", "notification"))
        assert back == {replies[0]: "sent", replies[1]: "pending", replies[2]: "failed", replies[3]: ""}
    finally:
        _migrate(AFTER)
