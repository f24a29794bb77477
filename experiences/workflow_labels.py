"""Wagtail templates that show the review workflow's and task's names, rewritten to show
them in the reader's language (experiences.publishing.label) rather than as stored.

Each override in experiences/templates/wagtailadmin/ is Wagtail's own template with only
the rewrites below applied: ``relabel``. After a Wagtail upgrade,
tests/experiences/test_workflow_labels.py fails until they are regenerated with
``python -m experiences.workflow_labels``. What remains as stored (English): the
workflow and task listings and edit forms (Settings > Workflows, where an administrator
edits the stored name) and the page lock notice."""

from pathlib import Path

import wagtail

OVERRIDDEN = (
    # The e-mails the review sends (wagtail.admin.mail: workflow submitted, approved,
    # rejected; group approval task submitted), in each recipient's language.
    *(
        f"wagtailadmin/notifications/{event}{suffix}"
        for event in (
            "workflow_state_submitted",
            "workflow_state_approved",
            "workflow_state_rejected",
            "task_state_submitted",
        )
        for suffix in (".html", ".txt", "_subject.txt")
    ),
    # The page editor's status side panel and its "View details" dialog.
    "wagtailadmin/shared/side_panels/includes/status/workflow.html",
    "wagtailadmin/workflows/workflow_status.html",
    # The dashboard panels, the page's workflow history, the workflow report.
    "wagtailadmin/home/user_objects_in_workflow_moderation.html",
    "wagtailadmin/home/workflow_objects_to_moderate.html",
    "wagtailadmin/shared/workflow_history/listing_results.html",
    "wagtailadmin/shared/workflow_history/detail.html",
    "wagtailadmin/reports/workflow_results.html",
    # The tasks column of the workflow listing.
    "wagtailadmin/workflows/includes/workflow_tasks_cell.html",
)

REWRITES = (
    ("workflow.name", "workflow.name|workflow_label"),
    ("task.name", "task.name|workflow_label"),
    ("{{ workflow_name }}", "{{ workflow_name|workflow_label }}"),
    ("{% workflow_status_with_date ", "{% workflow_label_status_with_date "),
)
LOAD = "{% load workflow_labels %}"

WAGTAIL_TEMPLATES = Path(wagtail.__file__).parent / "admin" / "templates"
OUR_TEMPLATES = Path(__file__).parent / "templates"


def relabel(source: str) -> str:
    """Wagtail's template source with the names shown through ``workflow_label``."""
    for old, new in REWRITES:
        source = source.replace(old, new)
    first_load = source.index("{% load ")  # after {% extends %}, which must come first
    return source[:first_load] + LOAD + source[first_load:]


def write_overrides() -> list[Path]:
    written = []
    for name in OVERRIDDEN:
        target = OUR_TEMPLATES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(relabel((WAGTAIL_TEMPLATES / name).read_text()))
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_overrides():
        print(path)
