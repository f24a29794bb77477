from django.urls import path

from . import api

app_name = "search_api"
urlpatterns = [
    path("search/", api.search_api, name="search"),
    path("search/autocomplete/", api.autocomplete_api, name="autocomplete"),
    path("experiences/<slug:external_id>/comparable/", api.comparable_api, name="comparable"),
]
