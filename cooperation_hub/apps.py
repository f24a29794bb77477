from django.apps import AppConfig


class CooperationHubConfig(AppConfig):
    name = "cooperation_hub"
    verbose_name = "Cooperation Hub"
