"""Who may edit a partnership and who may make it public, as plain functions.

- Administrators (superusers) edit every partnership and publish any of them alone.
- Officers and reviewers (the groups granted ``change_partnership``) edit only the partnerships
  naming a city they answer for: a verified city contact of it (the ``partnerships_city_contacts``
  hook, registered by exchanges), or, for a city nobody is registered for, the owner of its
  reports (``outcomes.contacts_for``). This app never imports exchanges.
- Making a partnership public needs every side: an editor who answers for all its cities
  publishes at once; otherwise the publication waits in ``pending_change`` (changes.py) for a
  contact of another city, like a change of cities or dates.

The Wagtail viewset's permission policy (wagtail_hooks.py) enforces ``can_edit``.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from .models import Partnership, PartnershipCity

EDIT_PERMISSION = "partnerships.change_partnership"


def city_ids(partnership: Partnership) -> set[int]:
    """The cities of a partnership as stored (not the prefetched, possibly edited rows)."""
    return set(PartnershipCity.objects.filter(partnership=partnership).values_list("city_id", flat=True))


def sides_answered(user, partnership: Partnership) -> set[int]:
    """The cities of ``partnership`` that ``user`` answers for."""
    from .changes import sides_of

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return sides_of(user, partnership, city_ids(partnership))


def can_edit(user, partnership: Partnership) -> bool:
    """An administrator, or a member with the edit permission who answers for one of its cities."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.has_perm(EDIT_PERMISSION) and bool(sides_answered(user, partnership))


def can_publish_alone(user, partnership: Partnership) -> bool:
    """An administrator, or an editor who answers for every city of the partnership."""
    if not can_edit(user, partnership):
        return False
    if user.is_superuser:
        return True
    return sides_answered(user, partnership) >= city_ids(partnership)


def may_start_for(user, city_ids: set[int]) -> bool:
    """Whether ``user`` may record a new partnership between these cities: an administrator, or a
    verified city contact of one of them (the ``partnerships_city_contacts`` hook). A new partnership
    has no reports yet to vouch for anyone, so the report owners' fallback does not apply here."""
    from wagtail import hooks

    from experiences.models import City

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(
        user in hook(city)
        for city in City.objects.filter(pk__in=city_ids)
        for hook in hooks.get_hooks("partnerships_city_contacts")
    )


def editable_by(user, queryset: QuerySet[Partnership] | None = None) -> QuerySet[Partnership]:
    """The partnerships ``user`` may edit (for the admin's listing)."""
    queryset = Partnership.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if not user.has_perm(EDIT_PERMISSION):
        return queryset.none()
    # can_edit's rule for every partnership at once (outcomes.answers_for): the admin's list
    # costs the same few queries however many partnerships there are.
    from .outcomes import answers_for

    return queryset.filter(Exists(PartnershipCity.objects.filter(answers_for(user), partnership=OuterRef("pk"))))
