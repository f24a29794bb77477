"""Celery: the daily outcome requests (beat: settings.CELERY_BEAT_SCHEDULE["partnership-outcomes"]).
Repeatable: the requests are written once (unique rows) and sent once (the ledger's claims)."""

from celery import shared_task

from . import outcomes


@shared_task(name="partnerships.ask_for_outcomes")
def ask_for_outcomes() -> dict[str, int]:
    written = outcomes.claim_due()
    counts = outcomes.send_claimed()
    return {"written": written, **counts}
