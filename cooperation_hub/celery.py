"""The Celery application: Redis in production, a filesystem broker embedded."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation_hub.settings")

app = Celery("cooperation_hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_queue(sender: Celery, **kwargs) -> None:
    # Kombu's filesystem transport does not create its folders, and the first
    # producer (e.g. load_demo) may run before any worker has started.
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
