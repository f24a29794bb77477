"""Ledgers shown in the Wagtail admin that nobody may write to by hand."""

from wagtail.permission_policies.base import ModelPermissionPolicy


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Viewing needs the model's "view" permission; adding, editing and deleting are refused to all."""

    def user_has_permission(self, user, action: str) -> bool:
        if action in ("add", "change", "delete", "lock", "unlock", "publish", "unpublish"):
            return False
        return user.is_active and (user.is_superuser or user.has_perm(self._get_permission_name("view")))

    def users_with_any_permission(self, actions):
        actions = [a for a in actions if a not in ("add", "change", "delete")]
        if not actions:
            return self._get_users_with_any_permission_codenames([]).none()
        return super().users_with_any_permission(["view"])
