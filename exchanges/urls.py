from django.urls import path

from . import views

app_name = "exchanges"
urlpatterns = [
    path("exchanges/", views.mine, name="mine"),
    path("exchanges/propose/", views.propose, name="propose"),
    path("exchanges/<int:pk>/", views.detail, name="detail"),
]
