"""The founding consultation and its contributions, as demo content."""

from datetime import date

from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime
from wagtail.models import Locale

from experiences.models import ExperiencePage

from .models import ConsultationIndexPage, ConsultationPage, ConsultationSection, Contribution, Reply, Support
from .rules import window_instants

# Kept importable from here: the rule itself lives in contributions/rules.py.
__all__ = ["window_instants", "load_consultation"]


def load_consultation(data: dict) -> str:
    opens, closes = window_instants(
        date.fromisoformat(data["opens"]), date.fromisoformat(data["closes"]), data["timezone"]
    )
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
                external_id=data["external_id"], locale=locale, title=texts["title"], question=texts["question"],
                introduction=texts["introduction"], opens_at=opens, closes_at=closes,
                timezone_name=data["timezone"], slug=data["external_id"],
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
        pages[code] = page
        source = source or page

    User = get_user_model()
    people = {}
    for person in data.get("contributors", []):
        user, _ = User.objects.get_or_create(
            username=person["username"],
            defaults={
                "email": f"{person['username']}@demo.cooperation-hub.example",
                "display_name": person["display_name"], "city": person.get("city", ""),
                "organisation": person.get("organisation", ""), "language": person.get("language", "fr"),
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
        if Contribution.objects.filter(external_id=external_id).exists():
            continue
        contribution = Contribution.objects.create(
            consultation=page, author=people[item["author"]], title=item["title"], body=item["body"],
            language=item.get("language", "fr"), external_id=external_id,
            section=page.sections.filter(slug=item.get("section")).first(),
            created_at=parse_datetime(item["created"]),
        )
        contribution.tags.set(item.get("tags", []))
        for reply in item.get("replies", []):
            Reply.objects.create(
                contribution=contribution, author=people[reply["author"]], body=reply["body"],
                created_at=parse_datetime(reply["created"]),
            )
        for username in item.get("supporters", []):
            Support.objects.get_or_create(contribution=contribution, user=people[username])
        created += 1
    return f"{len(pages)} page(s), {created} contribution(s) added"
