from django.conf import settings
from django.core.management.base import BaseCommand

from cooperation_hub.demo import ensure_demo_admin, load_demo


class Command(BaseCommand):
    help = "Load the demo content in French and English (running it twice changes nothing)."

    def handle(self, *args, **options):
        result = load_demo()
        experiences = result["experiences"]
        self.stdout.write(
            f"Experiences: {experiences.created} created, {experiences.updated} updated, "
            f"{experiences.unchanged} unchanged."
        )
        self.stdout.write(f"Consultation: {result['consultation']}")
        username, password = ensure_demo_admin(settings.VAR_DIR)
        self.stdout.write(self.style.SUCCESS(
            f"Demo admin: {settings.SITE_URL}/admin/  user '{username}'  password '{password}' "
            f"(kept in {settings.VAR_DIR / 'demo-admin-password.txt'})"
        ))
