from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`manage.py backup DIR` and `manage.py restore DIR` (backups/archive.py; docs/deployment.md).
    No models, nothing shown to members: nothing to translate."""

    name = "backups"
