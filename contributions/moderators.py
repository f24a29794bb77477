"""The Moderators group: members who may hide and restore contributions and
replies from the moderation queue in the Wagtail admin, and nothing else."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

# Not Wagtail's own "Moderators" group, which may publish every page. Named in
# both admin languages, like the publishing groups (experiences/publishing.py).
MODERATORS = "Modérateurs des contributions / Contribution moderators"
# What the moderation queue checks (admin_views.MODERATE_PERMISSION), and the
# admin it lives in.
PERMISSIONS = (
    ("wagtailadmin", "admin", "access_admin"),
    ("contributions", "contribution", "change_contribution"),
    ("contributions", "contribution", "view_contribution"),
)


def ensure_moderators_group() -> Group:
    """The group with its permissions; idempotent (permissions may not exist yet right after migrate)."""
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    for app_label, model, codename in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
        )
        group.permissions.add(permission)
    return group
