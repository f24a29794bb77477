"""What exchanges keep about a member, for the GDPR export and erasure of
accounts/privacy.py (plugged in by the ``hub_member_data`` and
``hub_member_erasure`` Wagtail hooks, so that accounts imports nothing of ours)."""

from __future__ import annotations

from .models import CityContact, ExchangeMessage, ExchangeReport, ExchangeRequest


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_member_exchanges(user) -> dict:
    """The member's requests, their own messages in any thread, their city links and reports;
    never what the other side wrote (their data, not this member's)."""
    sent = (
        ExchangeRequest.objects.filter(requester=user)
        .select_related("target_city", "requesting_city", "report")
        .prefetch_related("themes")
        .order_by("created_at")
    )
    return {
        "requests_sent": [
            {
                "id": r.pk,
                "requesting_city": r.requesting_city_label,
                "target_city": r.target_city.name,
                "organisation": r.organisation,
                "role": r.role,
                "themes": sorted(t.slug for t in r.themes.all()),
                "report": r.report.title if r.report else "",
                "kind": r.kind,
                "languages": r.languages,
                "message": r.message,
                "state": r.state,
                "consent_given_at": _when(r.requester_consent_at),
                "created_at": _when(r.created_at),
                "closed_at": _when(r.closed_at),
            }
            for r in sent
        ],
        "requests_accepted": [
            {"id": r.pk, "consent_given_at": _when(r.contact_consent_at)}
            for r in ExchangeRequest.objects.filter(accepted_by=user).order_by("created_at")
        ],
        "messages": [
            {
                "request": m.request_id,
                "kind": m.kind,
                "event": m.event,
                "text": m.body,
                "created_at": _when(m.created_at),
            }
            for m in ExchangeMessage.objects.filter(author=user).order_by("created_at", "pk")
        ],
        "city_contact_for": [
            {"city": c.city.name, "role": c.role, "verified": c.verified, "verified_at": _when(c.verified_at)}
            for c in CityContact.objects.filter(member=user).select_related("city")
        ],
        "reports": [
            {"request": r.request_id, "reason": r.reason, "created_at": _when(r.created_at)}
            for r in ExchangeReport.objects.filter(reporter=user)
        ],
    }


def erase_member_exchanges(user, placeholder) -> int:
    """The member's own requests go with their threads (their message, organisation and role are
    personal data); what they wrote in other members' threads stays readable under the
    "Former participant" placeholder, as contributions do. Returns the requests deleted."""
    ExchangeMessage.objects.filter(author=user).exclude(request__requester=user).update(author=placeholder)
    ExchangeReport.objects.filter(reporter=user).update(reporter=None)
    _total, by_model = ExchangeRequest.objects.filter(requester=user).delete()
    return by_model.get("exchanges.ExchangeRequest", 0)
