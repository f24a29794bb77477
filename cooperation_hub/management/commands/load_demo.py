from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cooperation_hub.demo import ensure_demo_accounts, ensure_demo_admin, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo content in French and English (running it twice the same day changes nothing; "
        "on a later day the open consultation's window moves with it)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="The day the open consultation's window is counted from (default: today).",
        )

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today: {error}") from error
        result = load_demo(today=today)
        experiences = result["experiences"]
        self.stdout.write(
            f"Experiences: {experiences.created} created, {experiences.updated} updated, "
            f"{experiences.unchanged} unchanged."
        )
        self.stdout.write(f"Consultation: {result['consultation']}")
        self.stdout.write(f"Open consultation: {result['open_consultation']}")
        site = settings.SITE_URL
        username, password = ensure_demo_admin(settings.VAR_DIR)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo admin: {site}/admin/  user '{username}'  password '{password}' "
                f"(kept in {settings.VAR_DIR / 'demo-admin-password.txt'})"
            )
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts (passwords kept in {settings.VAR_DIR / 'demo-<user>-password.txt'}):")
        )
        for account, account_password in ensure_demo_accounts(settings.VAR_DIR):
            # The admin's sign-in takes either; the site's sign-in form asks for the e-mail only
            # (ACCOUNT_LOGIN_METHODS), where typing the username is refused by the browser.
            who = (
                f"user '{account.username}' or e-mail '{account.email}'"
                if account.path.startswith("/admin/")
                else f"e-mail '{account.email}'"
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"  {account.username:<12} {site}{account.path}  {who}  password '{account_password}'"
                )
            )
            self.stdout.write(f"               {account.role}")
        # Exchanges between the demo accounts' cities: they need the accounts above.
        from exchanges.demo import load_demo_exchanges

        exchanges = load_demo_exchanges()
        self.stdout.write(
            f"Exchanges: {exchanges['contacts']} city contacts, {exchanges['requests']} requests created."
        )
