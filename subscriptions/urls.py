from django.urls import path

from . import digest_views, views

app_name = "subscriptions"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/sent/", views.subscribe_sent, name="subscribe_sent"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/manage/<str:token>/", views.manage, name="manage"),
    path("subscriptions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("cities/<slug:slug>/peers/", views.city_peers, name="city_peers"),
    path("digest/<str:token>/", digest_views.digest_web, name="digest_web"),
]
