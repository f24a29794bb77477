"""The Celery application: Redis in production, a filesystem broker embedded."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation_hub.settings")

app = Celery("cooperation_hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
