from django.urls import path

from . import api

app_name = "search_api"
urlpatterns = [
    path("openapi.yaml", api.openapi_description, name="openapi"),
    path("search/", api.search_api, name="search"),
    path("search/autocomplete/", api.autocomplete_api, name="autocomplete"),
    # Any id, not only a slug: an id that cannot exist still gets the API's JSON 404.
    path("experiences/<str:external_id>/comparable/", api.comparable_api, name="comparable"),
]
