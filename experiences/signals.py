"""Keep the review setup attached to every experiences index page; say what outdates cached pages."""

from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from cooperation_hub.page_cache_signals import outdate_site_on_change

from .models import City, ExperienceIndexPage, SustainableDevelopmentGoal, Theme


@receiver(post_save, sender=ExperienceIndexPage, dispatch_uid="experiences_attach_review")
def attach_review_to_new_index(sender, instance: ExperienceIndexPage, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        from .publishing import ensure_review_setup

        ensure_review_setup([instance])


def setup_after_migrate(sender, **kwargs) -> None:
    from .publishing import ensure_review_setup

    ensure_review_setup()


def connect_post_migrate(app_config) -> None:
    post_migrate.connect(setup_after_migrate, sender=app_config, dispatch_uid="experiences_review_setup")


def connect_page_cache() -> None:
    # Every page may show a city, a theme or an SDG (filters, facets, report cards).
    for model in (City, Theme, SustainableDevelopmentGoal):
        outdate_site_on_change(model)
