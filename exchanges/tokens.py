"""The signed "Propose an exchange" links of the digests.

A digest names peer cities for a subscriber's city; beside each, a link that
opens the form prefilled with both cities. The prefill is signed so a link
cannot be altered into another one silently, and expires like the digests'
other links (subscriptions/tokens.py). Signing in is still required to send.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

from cooperation_hub.sites import absolute_reverse

SALT = "exchanges.propose"
MAX_AGE = timedelta(days=400)


def propose_token(target_city_id: int, requesting_city_id: int | None = None, report_id: int | None = None) -> str:
    data = {"to": int(target_city_id)}
    if requesting_city_id:
        data["from"] = int(requesting_city_id)
    if report_id:
        data["report"] = int(report_id)
    return signing.dumps(data, salt=SALT, compress=True)


def read_propose_token(token: str) -> dict[str, int] | None:
    """The prefill a link carries; None when altered or expired (the form then opens empty)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("to"), int):
        return None
    return {key: value for key, value in data.items() if key in ("to", "from", "report") and isinstance(value, int)}


def propose_url(target_city_id: int, requesting_city_id: int | None, language: str) -> str:
    """The absolute address of the form, prefilled for a pair of cities (digests)."""
    token = propose_token(target_city_id, requesting_city_id)
    return absolute_reverse("exchanges:propose", language=language) + f"?t={token}"
