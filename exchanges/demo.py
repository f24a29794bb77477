"""Demo exchanges: city contacts for the demo accounts and a few requests in each
state, so that `make run` shows the feature at once.

- ``officer`` (Camille Martin) answers for Béthune, with a colleague (Jules Petit,
  who cannot sign in); ``reviewer`` (Awa Ndiaye) answers for Saint-Louis.
- ``contributor`` (Nadia Benali, Annecy) and ``moderator`` (Lucas Bernard, Grenoble)
  have asked them for exchanges: one waiting, one accepted, declined, handed over,
  reminded, offered elsewhere and withdrawn.

Rows are written directly, without e-mails: these steps are stories, not news.
Loading twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from experiences.models import City, ExperiencePage, Theme

from .models import CityContact, ExchangeMessage, ExchangeRequest

COLLEAGUE = "jules.petit"


def _city(name: str) -> City | None:
    return City.objects.filter(name=name).first()


def _colleague():
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.filter(username=COLLEAGUE).first()
    if user is None:
        user = User.objects.create_user(
            COLLEAGUE,
            f"{COLLEAGUE}@cooperation-hub.example",
            None,
            display_name="Jules Petit",
            city="Béthune",
            organisation="Ville de Béthune",
            language="fr",
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def load_demo_exchanges() -> dict[str, int]:
    """City contacts and requests for the demo accounts (which must exist: run after them)."""
    User = get_user_model()
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["officer", "reviewer", "contributor", "moderator", "admin"])
    }
    bethune, saint_louis, annecy, grenoble, chefchaouen = (
        _city(n) for n in ("Béthune", "Saint-Louis", "Annecy", "Grenoble", "Chefchaouen")
    )
    if bethune is None or saint_louis is None or annecy is None or grenoble is None or chefchaouen is None:
        return {"contacts": 0, "requests": 0}  # the demo reports did not load these cities
    if not {"officer", "reviewer", "contributor", "moderator"} <= set(people):
        return {"contacts": 0, "requests": 0}
    admin = people.get("admin")
    colleague = _colleague()
    contacts = 0
    for member, city, role in (
        (people["officer"], bethune, "Chargée de coopération internationale"),
        (colleague, bethune, "Chef de projet Europe"),
        (people["reviewer"], saint_louis, "Direction de la coopération décentralisée"),
    ):
        _link, created = CityContact.objects.get_or_create(
            city=city, member=member, defaults={"role": role, "verified": True, "verified_by": admin}
        )
        contacts += created
    contributor, moderator = people["contributor"], people["moderator"]
    if ExchangeRequest.objects.filter(requester__in=[contributor, moderator]).exists():
        return {"contacts": contacts, "requests": 0}

    now = timezone.now()
    report_b = ExperiencePage.objects.filter(city=bethune, locale__language_code="en").first() or (
        ExperiencePage.objects.filter(city=bethune).first()
    )
    report_s = ExperiencePage.objects.filter(city=saint_louis, locale__language_code="en").first() or (
        ExperiencePage.objects.filter(city=saint_louis).first()
    )
    themes = list(Theme.objects.all()[:2])

    def request(requester, from_city, to_city, kind, message, days_ago, state, report=None, **fields):
        sent_at = now - timedelta(days=days_ago)
        exchange = ExchangeRequest.objects.create(
            requester=requester,
            requesting_city=from_city,
            organisation=requester.organisation,
            role="Chargée de mission" if requester is contributor else "Chef de projet",
            report=report,
            target_city=to_city,
            kind=kind,
            languages=["fr", "en"],
            message=message,
            state=state,
            requester_consent_at=sent_at,
            created_at=sent_at,
            awaiting_since=fields.pop("awaiting_since", sent_at),
            **fields,
        )
        exchange.themes.set(themes)
        ExchangeMessage.objects.create(
            request=exchange, author=requester, kind="event", event="sent", created_at=sent_at
        )
        return exchange

    def entry(exchange, author, days_ago, body="", event=""):
        ExchangeMessage.objects.create(
            request=exchange,
            author=author,
            kind="event" if event else "message",
            event=event,
            body=body,
            created_at=now - timedelta(days=days_ago),
        )

    officer = people["officer"]
    made = []
    made.append(
        request(
            contributor,
            annecy,
            bethune,
            "video-call",
            "Hello, Annecy is preparing a citizen platform for its smart-city plan. Could we have a video call "
            "with the team that ran Béthune's seven pillars, to hear what worked with residents?",
            2,
            "sent",
            report_b,
        )
    )
    accepted = request(
        contributor,
        annecy,
        bethune,
        "documents",
        "Could you share the specifications you used for your connected street lighting? We are drafting ours.",
        12,
        "accepted",
        report_b,
        accepted_by=officer,
        contact_consent_at=now - timedelta(days=10),
        answered_at=now - timedelta(days=11),
        closed_at=now - timedelta(days=10),
    )
    entry(accepted, officer, 11, "Avec plaisir : je rassemble le cahier des charges et le bilan de la première année.")
    entry(accepted, officer, 10, event="accepted")
    entry(accepted, contributor, 9, "Thank you! Our engineer will be glad to call yours once she has read them.")
    made.append(accepted)
    declined = request(
        moderator,
        grenoble,
        bethune,
        "study-visit",
        "Nous aimerions venir à Béthune avec six élus en mars pour une visite d'étude.",
        20,
        "declined",
        report_b,
        decline_reason="Mars est en pleine période budgétaire : reproposez-nous l'automne, ou écrivez à Loos-en-Gohelle.",
        answered_at=now - timedelta(days=18),
        closed_at=now - timedelta(days=18),
    )
    entry(declined, officer, 18, declined.decline_reason, event="declined")
    made.append(declined)
    handed = request(
        moderator,
        grenoble,
        bethune,
        "staff-exchange",
        "Un de nos agents pourrait-il passer deux semaines dans votre service des systèmes d'information ?",
        5,
        "handed_over",
        report_b,
        assigned_to=officer,
        awaiting_since=now - timedelta(days=3),
    )
    entry(handed, colleague, 3, officer.public_name, event="handed_over")
    made.append(handed)
    reminded = request(
        contributor,
        annecy,
        saint_louis,
        "school-twinning",
        "Two schools in Annecy would like to twin with schools in Saint-Louis on climate education.",
        9,
        "reminded",
        report_s,
        reminded_at=now - timedelta(days=2),
    )
    entry(reminded, None, 2, event="reminded")
    made.append(reminded)
    offered = request(
        moderator,
        grenoble,
        saint_louis,
        "documents",
        "Pourriez-vous partager votre plan de gestion des inondations ?",
        24,
        "offered_elsewhere",
        report_s,
        offered_at=now - timedelta(days=3),
        reminded_at=now - timedelta(days=17),
        awaiting_since=now - timedelta(days=3),
        original_city=chefchaouen,
    )
    entry(offered, None, 17, event="reminded")
    entry(offered, None, 3, saint_louis.name, event="offered_elsewhere")
    made.append(offered)
    withdrawn = request(
        contributor,
        annecy,
        bethune,
        "video-call",
        "A short call about your open data portal, please.",
        30,
        "withdrawn",
        closed_at=now - timedelta(days=27),
    )
    entry(withdrawn, contributor, 27, event="withdrawn")
    made.append(withdrawn)
    return {"contacts": contacts, "requests": len(made)}
