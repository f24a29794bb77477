"""The review workflow's and task's names in the reader's language, for the Wagtail
templates overridden in experiences/templates/wagtailadmin (experiences/workflow_labels.py)."""

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils.translation import gettext as _

from experiences.publishing import label

register = template.Library()


@register.filter
def workflow_label(name: str) -> str:
    return label(name) if isinstance(name, str) else name


@register.simple_tag
def workflow_label_status_with_date(workflow_state) -> str:
    """Wagtail's ``workflow_status_with_date`` ("Envoyé vers <task> il y a 3 minutes"),
    with the task's label instead of its stored name; Wagtail's own words."""
    task_state = workflow_state.current_task_state
    translation_context = {
        "finished_at": naturaltime(task_state.finished_at),
        "started_at": naturaltime(task_state.started_at),
        "task_name": label(task_state.task.name),
        "status_display": workflow_state.get_status_display,
    }
    if workflow_state.status == "needs_changes":
        return _("Changes requested %(finished_at)s") % translation_context
    if workflow_state.status == "in_progress":
        return _("Sent to %(task_name)s %(started_at)s") % translation_context
    return _("%(status_display)s %(task_name)s %(started_at)s") % translation_context
