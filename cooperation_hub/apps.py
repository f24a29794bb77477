from django.apps import AppConfig


class CooperationHubConfig(AppConfig):
    name = "cooperation_hub"
    verbose_name = "Cooperation Hub"

    def ready(self) -> None:
        from . import admin_titles

        # "Nouveau : Retour d’expérience" in the French admin, not "Nouveau: …" (admin_titles.py).
        admin_titles.install()

        from . import page_cache_signals

        page_cache_signals.connect()

        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction

        from .visibility import forget_private_paths

        # Kept for the request (visibility.private_paths): a restriction changed within it counts at once.
        post_save.connect(forget_private_paths, sender=PageViewRestriction, dispatch_uid="hub_private_paths_saved")
        post_delete.connect(forget_private_paths, sender=PageViewRestriction, dispatch_uid="hub_private_paths_deleted")

        from django.contrib.auth.signals import user_logged_in

        from .member_language import remember_language

        # Wagtail's workflow e-mails are written in each recipient's preferred language (member_language.py).
        user_logged_in.connect(remember_language, dispatch_uid="hub_remember_language")

        from django.db.models.signals import post_migrate

        from .sites import sync_after_migrate

        # Wagtail's migration leaves the default Site at localhost:80: follow SITE_URL instead.
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="cooperation_hub_sync_site")

        from .planner import refresh_after_migrate

        # SQLite's planner needs statistics to prefer the date index on lists (cooperation_hub/planner.py).
        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="cooperation_hub_planner_statistics")
