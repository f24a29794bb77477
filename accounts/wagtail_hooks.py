"""The Wagtail admin deletes a member with the same rule as the profile page.

Wagtail's own delete would remove the account row and meet the contributions
and replies that protect it (ProtectedError: a 500, or a confirmation page
without a button once the reference index knows them). Both the single and
the bulk delete of users go through ``privacy.erase_member`` instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.users.views.bulk_actions import DeleteBulkAction

from .privacy import CannotErase, erase_member


def _erase(users) -> tuple[int, list]:
    erased, refused = 0, []
    for user in users:
        try:
            erase_member(user)
        except CannotErase:
            refused.append(user)
        else:
            erased += 1
    return erased, refused


def _refusal(user) -> str:
    return _("“%(name)s” keeps the contributions of erased accounts: it cannot be deleted.") % {
        "name": user.public_name
    }


@hooks.register("before_delete_user")
def erase_instead_of_delete(request, user):
    if request.method != "POST":
        return TemplateResponse(
            request,
            "accounts/admin/confirm_erase_user.html",
            {
                "member": user,
                "page_title": _("Delete user"),
                "header_title": _("Delete user"),
                "header_icon": "user",
                "contribution_count": user.contributions.count(),
                "reply_count": user.replies.count(),
            },
        )
    name = str(user)
    erased, refused = _erase([user])
    if erased:
        messages.success(
            request,
            _("User “%(name)s” deleted: their contributions and replies are kept under “Former participant”.")
            % {"name": name},
        )
    for placeholder in refused:
        messages.error(request, _refusal(placeholder))
    return redirect(reverse("wagtailusers_users:index"))


class EraseUsersBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete of users, erasing each through ``erase_member``."""

    def object_context(self, item):
        # Their contributions no longer stop the deletion: they are re-attributed.
        return {**super().object_context(item), "is_protected": False}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "is_protected": False}

    def prepare_action(self, objects, objects_without_access):
        self.refused = []

    def execute_action(self, objects, **kwargs):
        erased, refused = _erase(objects)
        self.refused = refused
        return erased, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        for placeholder in self.refused:
            messages.error(self.request, _refusal(placeholder))
        if not num_parent_objects:
            return None
        return ngettext(
            "%(n)d user deleted: their contributions and replies are kept under “Former participant”.",
            "%(n)d users deleted: their contributions and replies are kept under “Former participant”.",
            num_parent_objects,
        ) % {"n": num_parent_objects}


# After Wagtail's own registration (order 0): the later class wins for ("user", "delete").
hooks.register("register_bulk_action", EraseUsersBulkAction, order=100)
