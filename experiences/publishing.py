"""Who may do what with experience reports, and the review before publication.

"Cooperation officers" create and edit reports under the experiences indexes
but cannot publish; "Reviewers" publish. Every report goes through the
"Review before publication" workflow, a single group approval task assigned
to the Reviewers. The setup is idempotent: it runs after every ``migrate``,
whenever an experiences index page is created (the demo site tree, the admin,
a translation) and can be called directly.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

# Group names are shown as stored, in the French and the English admin alike: they
# carry both languages, French (the site's default) first (migration 0005).
OFFICERS = "Chargés de coopération / Cooperation officers"
REVIEWERS = "Relecteurs / Reviewers"
# The workflow and its task are stored under their English name, which is also the
# msgid of the label each person reads in their own admin language (``label``): in the
# page editor ("Soumettre à Relecture avant publication"), its status panel, the
# dashboard and the workflow e-mails (templates in experiences/templates/wagtailadmin,
# see experiences/workflow_labels.py). Migration 0008 renamed the bilingual names.
WORKFLOW = "Review before publication"
TASK = "Review by a reviewer"
LABELS = {WORKFLOW: _("Review before publication"), TASK: _("Review by a reviewer")}


def label(name: str) -> str:
    """The workflow's or task's name as the current language says it; other names as stored."""
    return str(LABELS.get(name, name))


OFFICER_PAGE_PERMISSIONS = ("add_page", "change_page")
REVIEWER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# Model permissions so that both groups can reach the admin and pick or add
# the cities, images and documents a report needs.
SHARED_MODEL_PERMISSIONS = (
    ("wagtailadmin", "admin", "access_admin"),
    ("experiences", "city", "add_city"),
    ("experiences", "city", "change_city"),
    ("experiences", "city", "view_city"),
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "choose_document"),
    # "Translate into …" on a report (simple_translation): the copy is a draft, reviewed like any other.
    ("simple_translation", "simpletranslation", "submit_translation"),
)


def _permission(app_label: str, model: str, codename: str) -> Permission:
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
    )
    return permission


def ensure_groups() -> tuple[Group, Group]:
    officers, _ = Group.objects.get_or_create(name=OFFICERS)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    shared = [_permission(*spec) for spec in SHARED_MODEL_PERMISSIONS]
    officers.permissions.add(*shared)
    reviewers.permissions.add(*shared)
    return officers, reviewers


def ensure_workflow(reviewers: Group) -> Workflow:
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK)
    task.groups.add(reviewers)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count())
    return workflow


def attach_to_index(page: Page, workflow: Workflow, officers: Group, reviewers: Group) -> None:
    """Grant the page permissions under this index and route its reports through the review."""
    for group, codenames in ((officers, OFFICER_PAGE_PERMISSIONS), (reviewers, REVIEWER_PAGE_PERMISSIONS)):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=_permission("wagtailcore", "page", codename)
            )
    WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})


@transaction.atomic
def ensure_review_setup(pages: list[Page] | None = None) -> Workflow:
    """Groups, permissions and workflow; attached to the given index pages, or to all of them."""
    from .models import ExperienceIndexPage

    officers, reviewers = ensure_groups()
    workflow = ensure_workflow(reviewers)
    for page in pages if pages is not None else ExperienceIndexPage.objects.all():
        attach_to_index(page, workflow, officers, reviewers)
    return workflow
