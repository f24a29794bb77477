"""A URLconf holding only the JSON API, for 404 answers of the API.

Django's LocaleMiddleware turns a 404 on an unprefixed path into a redirect to
/<lang>/<path> whenever that path resolves, and Wagtail's catch-all page route
resolves everything. Pointing ``request.urlconf`` here for an API 404 keeps it
a JSON 404 (see search.api._error).
"""

from django.urls import include, path

urlpatterns = [path("api/", include("search.api_urls"))]
