from django.urls import path

from . import views

app_name = "iati"
urlpatterns = [
    path("activities.xml", views.activities, name="activities"),
    # Any id, not only a slug: an id that cannot exist still gets the XML 404.
    path("activities/<str:external_id>.xml", views.activity, name="activity"),
]
