"""Run inside the private site's environment (``python -m tests.faults.seed``):
opens the demo consultation and makes the members the scenarios act as.
Prints what the tests need as JSON."""

import json
from datetime import timedelta

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402

from contributions.models import ConsultationPage, Contribution  # noqa: E402

PASSWORD = "faults-Pa55word!"  # noqa: S105 (a private, throw-away database)


def member(username: str, display_name: str):
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@faults.example",
        password=PASSWORD,
        display_name=display_name,
        language="fr",
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def main() -> None:
    consultation = ConsultationPage.objects.live().filter(locale__language_code="fr").order_by("id").first()
    ConsultationPage.objects.filter(translation_key=consultation.translation_key).update(
        opens_at=timezone.now() - timedelta(days=1), closes_at=timezone.now() + timedelta(days=30)
    )
    author, replier = member("author", "Autrice"), member("replier", "Répondant")
    mine = Contribution.objects.create(
        consultation=consultation,
        author=author,
        language="fr",
        title="Contribution de l'autrice",
        body="Qui voudra bien répondre ?",
    )
    admin_password = (settings.VAR_DIR / "demo-admin-password.txt").read_text().split()[-1]
    print(
        json.dumps(
            {
                "consultation": consultation.get_url(),
                "consultation_id": consultation.pk,
                "authors_contribution": mine.pk,
                "author": author.email,
                "replier": replier.email,
                "password": PASSWORD,
                "admin": "admin",
                "admin_password": admin_password,
            }
        )
    )


main()
