"""The demo consultations and their contributions, as demo content.

A consultation's data gives its window either as fixed dates (``opens`` and
``closes``: the founding consultation of 2018–2019, closed) or relative to the
day the demo is loaded (``window``: ``opened_days_ago`` and ``closes_in_days``),
so that a fresh clone always has a consultation open to contribute to. The
relative window, and the dates of that consultation's demo contributions, are
recomputed on every run: loading the demo again on a later day keeps it open.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Locale

from experiences.models import ExperiencePage

from .models import (
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationSection,
    Contribution,
    Reply,
    Report,
    Support,
)
from .rules import window_instants

# Kept importable from here: the rule itself lives in contributions/rules.py.
__all__ = ["window_instants", "load_consultation", "demo_window"]


def demo_window(data: dict, today: date | None = None) -> tuple[datetime, datetime]:
    """The consultation's window: its fixed dates, or days counted from ``today``
    (the current date in the consultation's time zone by default)."""
    tz_name = data["timezone"]
    relative = data.get("window")
    if relative is None:
        return window_instants(date.fromisoformat(data["opens"]), date.fromisoformat(data["closes"]), tz_name)
    today = today or timezone.localdate(timezone=ZoneInfo(tz_name))
    return window_instants(
        today - timedelta(days=relative["opened_days_ago"]),
        today + timedelta(days=relative["closes_in_days"]),
        tz_name,
    )


def _when(item: dict, opens: datetime, now: datetime) -> datetime:
    """A demo contribution's or reply's date: fixed, or days after the window opened (never in the future)."""
    if "created" in item:
        created = parse_datetime(item["created"])
        if created is None:
            raise ValueError(f"demo data: {item['created']!r} is not a date and time")
        return created
    return min(opens + timedelta(days=item["days_after_opening"], hours=10), now - timedelta(minutes=5))


def _follow_the_window(page: ConsultationPage, opens: datetime, closes: datetime) -> None:
    """A relative window moved since the last run (another day): publish the new one."""
    if (page.opens_at, page.closes_at) == (opens, closes):
        return
    page.opens_at, page.closes_at = opens, closes
    page.save_revision(log_action=False).publish(log_action=None)


def load_consultation(data: dict, today: date | None = None) -> str:
    opens, closes = demo_window(data, today)
    # A demo loaded "as of" another day dates its contributions up to that day's end.
    now = timezone.now() if today is None else window_instants(today, today, data["timezone"])[1]
    pages: dict[str, ConsultationPage] = {}
    source = None
    for locale in Locale.objects.all():
        code = locale.language_code
        texts = data.get(code)
        if texts is None:
            continue
        page = ConsultationPage.objects.filter(external_id=data["external_id"], locale=locale).first()
        if page is None:
            index = ConsultationIndexPage.objects.get(locale=locale)
            page = ConsultationPage(
                external_id=data["external_id"],
                locale=locale,
                title=texts["title"],
                question=texts["question"],
                introduction=texts["introduction"],
                opens_at=opens,
                closes_at=closes,
                timezone_name=data["timezone"],
                slug=texts.get("slug") or data["external_id"],  # an English address on the English page
            )
            if source is not None:
                page.translation_key = source.translation_key
            page.sections = [
                ConsultationSection(slug=s["slug"], title=s.get(code) or s["fr"], sort_order=i)
                for i, s in enumerate(data.get("sections", []))
            ]
            page.suggested_tags.set(data.get("suggested_tags", {}).get(code, []))
            page.linked_experiences = list(
                ExperiencePage.objects.filter(external_id__in=data.get("linked_experiences", []), locale=locale)
            )
            index.add_child(instance=page)
            page.save_revision(log_action=False).publish(log_action=None)
        else:
            if texts.get("slug") and page.slug == data["external_id"] != texts["slug"]:
                # An earlier demo gave this translation the French slug: move it to its own.
                page.slug = texts["slug"]
                page.save_revision(log_action=False).publish(log_action=None)
            if "window" in data:
                _follow_the_window(page, opens, closes)
        pages[code] = page
        source = source or page

    User = get_user_model()
    people = {}
    for person in data.get("contributors", []):
        user, _ = User.objects.get_or_create(
            username=person["username"],
            defaults={
                "email": f"{person['username']}@demo.cooperation-hub.example",
                "display_name": person["display_name"],
                "city": person.get("city", ""),
                "organisation": person.get("organisation", ""),
                "language": person.get("language", "fr"),
            },
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        people[person["username"]] = user

    created = 0
    for item in data.get("contributions", []):
        # Contributions live on the page of their own language (French by default).
        page = pages.get(item.get("language", "fr")) or next(iter(pages.values()))
        external_id = f"{data['external_id']}-{item['key']}"
        existing = Contribution.objects.filter(external_id=external_id).first()
        if existing is not None:
            if "window" in data:
                _move_with_the_window(existing, item, opens, now)
            continue
        contribution = Contribution.objects.create(
            consultation=page,
            author=people[item["author"]],
            title=item["title"],
            body=item["body"],
            language=item.get("language", "fr"),
            external_id=external_id,
            section=page.sections.filter(slug=item.get("section")).first(),
            created_at=_when(item, opens, now),
        )
        contribution.tags.set(item.get("tags", []))
        for reply in item.get("replies", []):
            stored = Reply.objects.create(
                contribution=contribution,
                author=people[reply["author"]],
                body=reply["body"],
                created_at=_when(reply, opens, now),
            )
            # A reply already reported, so that the moderator's journey has something to decide.
            for report in reply.get("reported_by", []):
                Report.objects.get_or_create(
                    contribution=contribution,
                    reply=stored,
                    reporter=people[report["reporter"]],
                    defaults={"reason": report["reason"], "created_at": _when(reply, opens, now)},
                )
        for username in item.get("supporters", []):
            Support.objects.get_or_create(contribution=contribution, user=people[username])
        created += 1
    return f"{len(pages)} page(s), {created} contribution(s) added"


def _move_with_the_window(contribution: Contribution, item: dict, opens: datetime, now: datetime) -> None:
    """Keep a rolling consultation's demo contribution and its demo replies inside its window."""
    created = _when(item, opens, now)
    if contribution.created_at != created:
        Contribution.objects.filter(pk=contribution.pk).update(created_at=created)
    # The demo replies were added first, in the order of the data.
    replies = contribution.replies.order_by("pk")[: len(item.get("replies", []))]
    for reply, data in zip(replies, item.get("replies", []), strict=False):
        created = _when(data, opens, now)
        if reply.created_at != created:
            Reply.objects.filter(pk=reply.pk).update(created_at=created)
