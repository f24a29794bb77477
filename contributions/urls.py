from django.urls import path

from . import views

app_name = "contributions"
urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("members/<int:user_id>/", views.member, name="member"),
]
