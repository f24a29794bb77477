"""Officers of either city edit a partnership; the other side confirms changes that name them.

A change of the cities (one added or removed) or of the dates concerns every city it names:
the dates name them all, an added or removed city names itself. When the editor answers for
all of them (an administrator, or a contact of each city named), it applies at once;
otherwise the partnership keeps its confirmed cities and dates, and the change waits in
``pending_change`` until a contact of a city that did not propose it confirms (or rejects) it.

Who answers for a city is ``outcomes.contacts_for`` (the ``partnerships_city_contacts`` hook, or
the owners of the city's reports).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from experiences.models import City

from .models import Partnership, PartnershipCity


def snapshot(partnership: Partnership) -> dict:
    """The cities (in order) and dates, as stored."""
    rows = PartnershipCity.objects.filter(partnership=partnership).order_by("sort_order", "pk")
    return {
        "cities": [[row.city_id, row.role] for row in rows],
        "start_date": partnership.start_date.isoformat() if partnership.start_date else None,
        "end_date": partnership.end_date.isoformat() if partnership.end_date else None,
    }


def named_cities(before: dict, after: dict) -> set[int]:
    """The cities a change names: all of them for a change of dates, else those added or removed."""
    old = {pk for pk, _role in before["cities"]}
    new = {pk for pk, _role in after["cities"]}
    if (before["start_date"], before["end_date"]) != (after["start_date"], after["end_date"]):
        return old | new
    return old ^ new


def sides_of(user, partnership: Partnership, city_ids: set[int]) -> set[int]:
    """The cities among ``city_ids`` that ``user`` answers for."""
    from .outcomes import contacts_for

    if user.is_superuser:
        return set(city_ids)
    return {city.pk for city in City.objects.filter(pk__in=city_ids) if user in contacts_for(partnership, city)}


def _apply(partnership: Partnership, state: dict) -> None:
    PartnershipCity.objects.filter(partnership=partnership).delete()
    PartnershipCity.objects.bulk_create(
        PartnershipCity(partnership=partnership, city_id=pk, role=role, sort_order=order)
        for order, (pk, role) in enumerate(state["cities"])
    )
    partnership.start_date = datetime.date.fromisoformat(state["start_date"]) if state["start_date"] else None
    partnership.end_date = datetime.date.fromisoformat(state["end_date"]) if state["end_date"] else None
    if state.get("is_public"):
        partnership.is_public = True


@transaction.atomic
def hold_for_confirmation(partnership: Partnership, before: dict, user) -> bool:
    """After an edit by ``user``: keep the confirmed cities and dates and hold the change if it names
    a city ``user`` does not answer for. True when a change is now awaiting confirmation."""
    after = snapshot(partnership)
    named = named_cities(before, after)
    awaiting = named - sides_of(user, partnership, named)
    if not named or not awaiting:
        return False
    _apply(partnership, before)
    partnership.pending_change, partnership.pending_by = {**after, "awaiting": sorted(awaiting)}, user
    # Only these columns: the cities' rows were written above, the other fields stay as edited.
    partnership.save(update_fields=["start_date", "end_date", "pending_change", "pending_by", "updated_at"])
    return True


def can_confirm(user, partnership: Partnership) -> bool:
    """A contact of a city the change is awaiting (not the one who proposed it), or an administrator."""
    if not partnership.pending_change or (user.pk == partnership.pending_by_id and not user.is_superuser):
        return False
    return bool(sides_of(user, partnership, set(partnership.pending_change.get("awaiting", []))))


@transaction.atomic
def confirm(partnership: Partnership, user) -> bool:
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if not can_confirm(user, partnership):
        return False
    _apply(partnership, partnership.pending_change)
    partnership.pending_change, partnership.pending_by = {}, None
    partnership.save(
        update_fields=["start_date", "end_date", "is_public", "pending_change", "pending_by", "updated_at"]
    )
    return True


@transaction.atomic
def reject(partnership: Partnership, user) -> bool:
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if not can_confirm(user, partnership):
        return False
    partnership.pending_change, partnership.pending_by = {}, None
    partnership.save(update_fields=["pending_change", "pending_by", "updated_at"])
    return True


@transaction.atomic
def hold_publication(partnership: Partnership, was_public: bool, user) -> bool:
    """After an edit by ``user`` that made the partnership public: publishing needs every side
    (rules.can_publish_alone), so otherwise it stays unpublished and the publication waits in
    ``pending_change`` (with any change of cities or dates held by the same edit) for a contact
    of a city ``user`` does not answer for. True when the publication now awaits confirmation."""
    from .rules import can_publish_alone, city_ids

    if was_public or not partnership.is_public or can_publish_alone(user, partnership):
        return False
    cities = city_ids(partnership)
    pending = partnership.pending_change or snapshot(partnership)
    awaiting = set(pending.get("awaiting", [])) | (cities - sides_of(user, partnership, cities))
    partnership.is_public = False
    if getattr(partnership, "first_published_now", False):
        # The edit's save took this for its first publication: it is not shown yet, so it is news
        # when the other side confirms (Partnership.save sets the moment again then).
        partnership.published_at = None
    partnership.pending_change = {**pending, "is_public": True, "awaiting": sorted(awaiting)}
    partnership.pending_by = user
    partnership.save(update_fields=["is_public", "published_at", "pending_change", "pending_by", "updated_at"])
    return True
