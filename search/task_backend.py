"""A django-tasks backend that hands every task to the Celery workers.

Wagtail and django-modelsearch enqueue their background work (search index
updates, reference index, image renditions) through django-tasks. The
maintained bridge, django-tasks-celery, needs Python 3.12, so this small
backend does the same job here: ``enqueue`` sends one Celery message naming the
django task and its JSON arguments, after the surrounding transaction commits
(a worker must see the saved row), and ``search.tasks.run_django_task`` runs it
in the worker with retries. One worker pool does all background work, and an
editor's save never waits for, or fails because of, a search engine.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

from cooperation_hub.background import enqueue


class CeleryTaskBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False
    supports_priority = True

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        # Celery has its own queues; accept whatever queue name a library picks.
        self.queues = set(params.get("QUEUES", []))

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        from .tasks import run_django_task

        self.validate_task(task)
        result: TaskResult[Any] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

        def send() -> None:
            # Broker down: kept in the database and queued when it is back; the save goes on.
            enqueue(run_django_task, task.module_path, list(args), dict(kwargs))

        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            # Tests and inline mode: run now, inside the caller's transaction
            # (on_commit callbacks never fire inside a test's rolled-back transaction).
            send()
        else:
            transaction.on_commit(send)
        return result
