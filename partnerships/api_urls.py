"""Mounted at /api/partnerships/ by cooperation_hub/urls.py (language-neutral)."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.partnership_list, name="partnerships_api"),
    path("export.json", api.export_json, name="partnerships_export_json"),
    path("export.csv", api.export_csv, name="partnerships_export_csv"),
]
