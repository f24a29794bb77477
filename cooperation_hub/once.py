"""A member's form is stored once, however many times it arrives.

When a web node dies with a POST in flight, the row may be committed while the
answer is lost; the browser's resubmit or a second click then posts the same
form again. Every form that creates something for a member therefore carries a
random token drawn when the form is rendered (``SubmissionTokenMixin``), and
the row is stored with it under a unique constraint on (author, token). A post
whose token the same author already used gets the stored row back: the view
answers as the first post would have, and stores nothing.

- Race-safe: the insert runs in a savepoint; the unique constraint refuses the
  second of two concurrent posts, which then finds the row the first committed.
- A post without a token, or with one that is not a UUID (a page rendered before
  this existed, or tampered with), is accepted as before, only not deduplicated:
  nobody loses the text of a page left open in a tab.
- ``same`` guards against silent loss: a token comes back with *different*
  content when a member goes back in history to a page with the form and writes
  something new on it. That is a new submission, stored (without token), not a
  replay answered by the old row.

A model takes part with a nullable ``submission_token`` UUIDField, an ``author``
(or the field its ``SUBMISSION_AUTHOR_FIELD`` names) and a unique constraint on
both (NULLs never collide, so untokened rows are unconstrained).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import IntegrityError, models, transaction

FIELD = "submission_token"
Row = TypeVar("Row", bound=models.Model)


def parse_token(value: object) -> uuid.UUID | None:
    """The token of a post, or None if it is missing or not a UUID."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError:
        return None


def new_token() -> str:
    return uuid.uuid4().hex


class SubmissionTokenMixin(forms.Form):
    """A hidden field carrying a token drawn each time an unbound form is rendered.

    A bound form re-rendered after a refusal keeps the posted token: nothing was
    stored under it, and the next attempt is still the same submission."""

    submission_token = forms.CharField(required=False, widget=forms.HiddenInput, initial=new_token)

    @property
    def token(self) -> uuid.UUID | None:
        if not self.is_bound:
            return None
        return parse_token(self.data.get(self.add_prefix(FIELD)))


def _stored(model: type[Row], author, token: uuid.UUID) -> Row | None:
    author_field = getattr(model, "SUBMISSION_AUTHOR_FIELD", "author")
    return model._default_manager.filter(**{author_field: author, FIELD: token}).first()


def replayed(
    model: type[Row], author, token: uuid.UUID | None, same: Callable[[Row], bool] | None = None
) -> Row | None:
    """The row ``author`` already stored with ``token`` (and the same content), if any."""
    if token is None or not getattr(author, "is_authenticated", False):
        return None
    row = _stored(model, author, token)
    if row is not None and (same is None or same(row)):
        return row
    return None


def create_once(
    model: type[Row],
    author,
    token: uuid.UUID | None,
    create: Callable[[uuid.UUID | None], Row],
    same: Callable[[Row], bool] | None = None,
) -> Row:
    """``create(token)`` (which stores the row with the token it is given), unless
    ``author`` already stored ``token``: then that row, and nothing is written.

    The rules ``create`` checks are not checked again for a replay: its answer is
    the one the first post earned (the window may have closed in between)."""
    if token is None or not getattr(author, "is_authenticated", False):
        return create(None)
    existing = _stored(model, author, token)
    if existing is not None:
        return existing if same is None or same(existing) else create(None)
    try:
        with transaction.atomic():  # a savepoint: the request's transaction survives a lost race
            return create(token)
    except IntegrityError:
        # On PostgreSQL the losing insert waited for the winner's commit; on SQLite
        # writers are serialized. Either way the winner's row is visible now.
        existing = _stored(model, author, token)
        if existing is None:
            raise  # another constraint: not ours to hide
        return existing if same is None or same(existing) else create(None)
