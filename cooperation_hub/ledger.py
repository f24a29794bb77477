"""The shape of every e-mail delivery ledger: one row per message that must go
out once (a digest for one period, the e-mail about one reply).

A row is *claimed* before the message is handed to SMTP and moves on only while
its holder still holds it (the ``claim_token`` fence and the ``claimed`` state):
``sent`` once SMTP accepted it, ``skipped`` when there was nothing to send,
``failed`` after the last retry, with the server's last answer. A message
delivered twice (a Celery task redelivered after a lost worker) finds its row
no longer claimed and sends nothing. Each transition is one guarded UPDATE, so
two workers can never both move the same row.

Concrete ledgers: ``subscriptions.DigestDelivery`` and ``contributions.ReplyNotification``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db import connection, models
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ERROR_LENGTH = 2000  # the mail server's answer is kept, not a whole traceback


class DeliveryLedger(models.Model):
    class State(models.TextChoices):
        CLAIMED = "claimed", _("queued or being sent")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("not sent: nothing to send")
        FAILED = "failed", _("failed")

    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.CLAIMED, db_index=True)
    # A fencing token: whoever claimed (or re-claimed) the row last holds it;
    # a worker presumed dead cannot confirm over its successor.
    claim_token = models.UUIDField(default=uuid.uuid4, db_index=True)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_done(self) -> bool:
        """Nothing more will be sent for this row (sent or skipped)."""
        return self.state in (self.State.SENT, self.State.SKIPPED)

    def _held(self) -> models.QuerySet:
        """This row, as long as it is still claimed under this instance's token."""
        return type(self)._default_manager.filter(pk=self.pk, claim_token=self.claim_token, state=self.State.CLAIMED)

    def mark_sent(self, **fields) -> bool:
        """SMTP accepted the message: one attempt more, and done. False if the
        row was no longer ours (another worker finished or re-claimed it).

        One statement written out, not ``_held().update()``: a digest run confirms each e-mail
        as soon as it is sent, and the ORM took 0.5 ms of Python to build that UPDATE, twice
        what the database took to run and commit it (bench.digests, SQLite)."""
        values = {"state": self.State.SENT, "sent_at": timezone.now(), **fields}
        names = sorted(values)
        quote = connection.ops.quote_name
        column = {
            name: quote(self._concrete_field(name).get_attname_column()[1] or name)
            for name in [*names, "attempts", "claim_token", "id"]
        }
        assignments = ", ".join(f"{column[name]} = %s" for name in names)
        sql = (
            f"UPDATE {quote(self._meta.db_table)} SET {assignments}, {column['attempts']} = {column['attempts']} + 1 "
            f"WHERE {column['id']} = %s AND {column['claim_token']} = %s AND {column['state']} = %s"
        )
        params = [self._concrete_field(name).get_db_prep_save(values[name], connection) for name in names]
        token = self._concrete_field("claim_token").get_db_prep_save(self.claim_token, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, self.pk, token, self.State.CLAIMED])
            return cursor.rowcount == 1

    def mark_skipped(self, reason: str = "", **fields) -> bool:
        """Nothing to send (nothing new, opted out, no address): no attempt counted."""
        if reason:
            fields["last_error"] = reason[:ERROR_LENGTH]
        return bool(self._held().update(state=self.State.SKIPPED, **fields))

    @classmethod
    def mark_all_sent(cls, rows: Sequence[tuple[DeliveryLedger, dict]]) -> int:
        """``mark_sent`` for many rows in one UPDATE per claim token, each row with its own
        ``fields`` (e.g. its item count), each only while still held under its token.
        Returns how many rows moved."""
        if len(rows) == 1:  # one e-mail confirmed at a time (the digests' default): no CASE to build
            row, fields = rows[0]
            return int(row.mark_sent(**fields))
        by_token: dict[uuid.UUID, list[tuple[DeliveryLedger, dict]]] = {}
        for row, fields in rows:
            by_token.setdefault(row.claim_token, []).append((row, fields))
        moved, now = 0, timezone.now()
        for token, held in by_token.items():
            names = {name for _row, fields in held for name in fields}
            per_row = {
                name: Case(
                    *[When(pk=row.pk, then=Value(fields[name])) for row, fields in held if name in fields],
                    default=F(name),
                    output_field=cls._concrete_field(name),
                )
                for name in names
            }
            moved += cls._default_manager.filter(
                pk__in=[row.pk for row, _fields in held], claim_token=token, state=cls.State.CLAIMED
            ).update(state=cls.State.SENT, sent_at=now, attempts=F("attempts") + 1, **per_row)
        return moved

    @classmethod
    def mark_all_skipped(cls, rows: Sequence[DeliveryLedger], **fields) -> int:
        """``mark_skipped`` for many rows in one UPDATE per claim token (a batch has one): each row
        only while still held under its token. Nothing was sent, so confirming them together
        opens no window for a second e-mail. Returns how many rows moved."""
        by_token: dict[uuid.UUID, list[int]] = {}
        for row in rows:
            by_token.setdefault(row.claim_token, []).append(row.pk)
        manager = cls._default_manager
        return sum(
            manager.filter(pk__in=pks, claim_token=token, state=cls.State.CLAIMED).update(
                state=cls.State.SKIPPED, **fields
            )
            for token, pks in by_token.items()
        )

    @classmethod
    def _concrete_field(cls, name: str) -> models.Field:
        # The ledger's own columns, never a reverse relation: say so to the type checker.
        field = cls._meta.get_field(name)
        assert isinstance(field, models.Field), name
        return field

    def note_error(self, error: str) -> bool:
        """An attempt that failed and will be retried: the row stays claimed."""
        return bool(self._held().update(last_error=error[:ERROR_LENGTH], attempts=F("attempts") + 1))

    def mark_failed(self, error: str, *, attempted: bool = False) -> bool:
        """No more retries: left failed, with the last error, where an operator
        sees it. ``attempted`` counts this attempt (when ``note_error`` did not)."""
        fields = {"attempts": F("attempts") + 1} if attempted else {}
        return bool(self._held().update(state=self.State.FAILED, last_error=error[:ERROR_LENGTH], **fields))
