"""Demo content: the site tree in French and English, then the founding documents'
experiences and consultation. Every step is idempotent."""

import json
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from contributions.models import ConsultationIndexPage
from contributions.moderators import MODERATORS
from cooperation_hub.models import HomePage
from experiences.models import ExperienceIndexPage
from experiences.publishing import OFFICERS, REVIEWERS

from ..sites import site_address, sync_default_site
from .places_and_dates import date_demo_reports, place_demo_cities

DEMO_DIR = Path(__file__).resolve().parent


class LanguageTree(TypedDict):
    home: dict[str, str]  # HomePage fields
    experiences: tuple[str, str, str]  # title, slug, intro of each index page
    consultations: tuple[str, str, str]


TREE: dict[str, LanguageTree] = {
    "fr": {
        "home": {
            "title": "Cooperation Hub",
            "hero_title": "Les villes intelligentes apprennent les unes des autres, au Nord comme au Sud",
            "hero_text": (
                "Un réseau où les villes petites et moyennes partagent ce qu'elles ont tenté pour devenir "
                "plus durables, plus collaboratives et plus innovantes, en discutent lors de consultations "
                "ouvertes et trouvent la ville avec laquelle coopérer."
            ),
        },
        "experiences": (
            "Expériences",
            "experiences",
            "Des retours d'expérience relus avant publication\u00a0: "
            "ce qu'une ville a fait, avec qui, ce qui en est sorti et ce que d'autres peuvent reprendre.",
        ),
        "consultations": (
            "Consultations",
            "consultations",
            "Des questions posées au réseau pendant une période "
            "donnée\u00a0: contribuez, répondez et soutenez les idées à poursuivre.",
        ),
    },
    "en": {
        "home": {
            "title": "Cooperation Hub",
            "hero_title": "Smart cities learning from each other, North and South",
            "hero_text": (
                "A network where small and medium-sized cities share what they tried on the way to becoming "
                "more sustainable, collaborative and innovative, discuss it in open consultations and find "
                "the city to cooperate with."
            ),
        },
        "experiences": (
            "Experiences",
            "experiences",
            "Reviewed experience reports: what a city did, with whom, what came of it and what others can reuse.",
        ),
        "consultations": (
            "Consultations",
            "consultations",
            "Questions put to the network for a set period: contribute, reply and support the ideas worth pursuing.",
        ),
    },
}


def build_site_tree() -> dict[str, HomePage]:
    """Home, experiences index and consultations index in each language."""
    root = Page.get_first_root_node()
    homes: dict[str, HomePage] = {}
    source_home = None
    for code, _name in settings.LANGUAGES:
        locale = Locale.objects.get(language_code=code)
        texts = TREE[code]
        home = HomePage.objects.filter(locale=locale).first()
        if home is None:
            home = HomePage(locale=locale, slug=f"cooperation-hub-{code}", **texts["home"])
            if source_home is not None:
                home.translation_key = source_home.translation_key
            root.add_child(instance=home)
            home.save_revision(log_action=False).publish(log_action=None)
        homes[code] = home
        source_home = source_home or home
        indexes = ((ExperienceIndexPage, texts["experiences"]), (ConsultationIndexPage, texts["consultations"]))
        for model, (title, slug, intro) in indexes:
            if not model.objects.filter(locale=locale).exists():
                sibling = model.objects.exclude(locale=locale).first()
                page = model(title=title, slug=slug, intro=intro, locale=locale, show_in_menus=True)
                if sibling is not None:
                    page.translation_key = sibling.translation_key
                home.add_child(instance=page)
                page.save_revision(log_action=False).publish(log_action=None)
    default_home = homes[settings.LANGUAGE_CODE]
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = site_address(settings.SITE_URL)
        Site.objects.create(
            hostname=hostname, port=port, root_page=default_home, is_default_site=True, site_name="Cooperation Hub"
        )
    elif site.root_page_id != default_home.pk:
        site.root_page = default_home
        site.site_name = "Cooperation Hub"
        site.save()
    # Wagtail's own welcome page is replaced by ours.
    Page.objects.filter(depth=2, content_type__model="page").exclude(pk__in=[h.pk for h in homes.values()]).delete()
    return homes


def demo_password(var_dir: Path, account: str = "admin") -> tuple[str, bool]:
    """A demo account's password, generated once and kept in var/demo-<account>-password.txt."""
    path = var_dir / f"demo-{account}-password.txt"
    if path.exists():
        return path.read_text().strip(), False
    var_dir.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password, True


def demo_admin_password(var_dir: Path) -> tuple[str, bool]:
    """The demo admin's password, generated once and kept under var/."""
    return demo_password(var_dir, "admin")


def _verified_email(user) -> None:
    """Sign-in goes through allauth, which refuses an unverified address."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def ensure_demo_admin(var_dir: Path) -> tuple[str, str]:
    User = get_user_model()
    password, _new = demo_admin_password(var_dir)
    user = User.objects.filter(username="admin").first()
    if user is None:
        user = User.objects.create_superuser(
            "admin",
            "admin@cooperation-hub.example",
            password,
            display_name="Admin",
            first_name="Admin",
            last_name="Demo",
        )
    _verified_email(user)
    return "admin", password


@dataclass(frozen=True)
class DemoAccount:
    """One person per role, to try each journey of the site with."""

    username: str
    display_name: str
    city: str
    organisation: str
    language: str
    role: str  # what load_demo prints
    path: str  # where to start, on SITE_URL
    groups: tuple[str, ...] = ()

    @property
    def email(self) -> str:
        return f"{self.username}@cooperation-hub.example"


DEMO_ACCOUNTS = (
    DemoAccount(
        "officer",
        "Camille Martin",
        "Béthune",
        "Ville de Béthune",
        "fr",
        "cooperation officer: drafts experience reports and submits them for review",
        "/admin/",
        (OFFICERS,),
    ),
    DemoAccount(
        "reviewer",
        "Awa Ndiaye",
        "Saint-Louis",
        "Ville de Saint-Louis",
        "fr",
        "reviewer: approves or rejects submitted reports (Dashboard > Awaiting your review)",
        "/admin/",
        (REVIEWERS,),
    ),
    DemoAccount(
        "moderator",
        "Lucas Bernard",
        "Grenoble",
        "Cooperation Hub",
        "fr",
        "moderator: hides or restores reported contributions and replies",
        "/admin/moderation/",
        (MODERATORS,),
    ),
    DemoAccount(
        "contributor",
        "Nadia Benali",
        "Annecy",
        "Ville d'Annecy",
        "en",
        "contributor: a verified member who contributes, replies and supports in open consultations",
        "/en/accounts/login/",
    ),
)


def ensure_demo_accounts(var_dir: Path) -> list[tuple[DemoAccount, str]]:
    """The demo accounts, each with its role's groups, a verified e-mail and a
    password generated once (kept in var/demo-<username>-password.txt)."""
    from contributions.moderators import ensure_moderators_group
    from experiences.publishing import ensure_groups

    ensure_groups()
    ensure_moderators_group()
    User = get_user_model()
    accounts = []
    for account in DEMO_ACCOUNTS:
        password, _new = demo_password(var_dir, account.username)
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User.objects.create_user(
                account.username,
                account.email,
                password,
                display_name=account.display_name,
                city=account.city,
                organisation=account.organisation,
                language=account.language,
            )
        if not (user.first_name and user.last_name):
            # The admin's account settings ask for both (Wagtail's name form): without them, an officer
            # changing their language there was refused with "This field is required".
            user.first_name, _space, user.last_name = account.display_name.partition(" ")
            user.save(update_fields=["first_name", "last_name"])
        # Exactly its role's groups: a demo account shows what that role may do.
        user.groups.set(Group.objects.filter(name__in=account.groups))
        _verified_email(user)
        accounts.append((account, password))
    return accounts


def load_consultation_data() -> dict:
    """The founding consultation (2018–2019, closed)."""
    return json.loads((DEMO_DIR / "consultation.json").read_text(encoding="utf-8"))


def load_open_consultation_data() -> dict:
    """The consultation open now: its window is counted from the day the demo is loaded."""
    return json.loads((DEMO_DIR / "open_consultation.json").read_text(encoding="utf-8"))


def experience_lines() -> list[str]:
    return (DEMO_DIR / "experiences.jsonl").read_text(encoding="utf-8").splitlines()


@transaction.atomic
def load_demo(today: date | None = None) -> dict:
    """The whole demo; ``today`` (default: the current date) places the open consultation's window."""
    from contributions.demo import load_consultation
    from experiences.importer import import_lines

    build_site_tree()
    sync_default_site()
    started = timezone.now()
    report = import_lines(experience_lines(), publish=True)  # the demo is trusted content: live at once
    place_demo_cities()  # every city on the map, as in its table
    from .covers import add_demo_covers

    add_demo_covers()  # pictures drawn locally (Pillow), alt text in both languages
    date_demo_reports(since=started, today=today)  # not all published the minute the demo loaded
    consultation_report = load_consultation(load_consultation_data())
    open_report = load_consultation(load_open_consultation_data(), today=today)
    from partnerships.demo import load_demo_partnerships

    load_demo_partnerships()  # two partnerships between the demo's cities (a North–South, a South–South)
    return {"experiences": report, "consultation": consultation_report, "open_consultation": open_report}
