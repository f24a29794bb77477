from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("privacy/", views.privacy_page, name="privacy"),
    path("accounts/profile/data/", views.download_data, name="download_data"),
    path("accounts/profile/delete/", views.erase_account, name="erase_account"),
]
