from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    """Partnerships between cities as data: who cooperates with whom, on what, since when,
    and what came of it. Depends on experiences (cities, themes, SDGs, reports), never the reverse."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from cooperation_hub.page_cache_signals import outdate_site_on_change

        post_migrate.connect(grant_editors, sender=self, dispatch_uid="partnerships_grant_editors")

        # The city pages, the peers page, the map and the partnership pages show them.
        for model in ("partnerships.Partnership", "partnerships.PartnershipCity"):
            outdate_site_on_change(model)


def grant_editors(sender=None, **kwargs) -> None:
    """Cooperation officers and reviewers (experiences/publishing.py) add and edit partnerships in the admin."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from experiences.publishing import OFFICERS, REVIEWERS

    # This receiver may run before auth's (it does on a fresh database): make sure the
    # permissions exist, or the groups get none and officers cannot edit partnerships.
    create_permissions(apps.get_app_config("partnerships"), verbosity=0, using=kwargs.get("using", "default"))
    permissions = Permission.objects.filter(
        content_type__app_label="partnerships",
        codename__in=["add_partnership", "change_partnership", "view_partnership"],
    )
    for name in (OFFICERS, REVIEWERS):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
