from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import health
from .api import api_router
from .json_api import api as json_api
from .views import favicon

# Language-neutral endpoints: the admin, the JSON APIs and files.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # Provider webhooks (bounces and complaints pause digests): 404 until a secret is set.
    path("anymail/", include("subscriptions.webhooks")),
    path("api/iati/", include("iati.urls")),  # IATI 2.03 activity files
    path("api/partnerships/", include("partnerships.api_urls")),  # partnerships as data, CSV/JSON exports
    # Our JSON APIs (search, autocomplete, comparable reports, the map) and /api/openapi.yaml.
    path("api/", json_api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("favicon.ico", favicon, name="favicon"),
    # For load balancers and orchestrators: outside the language prefix, never cached.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

if "debug_toolbar" in settings.INSTALLED_APPS:  # development only (settings.py)
    urlpatterns.append(path("__debug__/", include("debug_toolbar.urls")))

if settings.MEDIA_SERVE:  # DEBUG, or MEDIA_SERVE=1 when nothing in front serves the shared MEDIA_ROOT
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

# Everything a reader sees lives under /fr/ or /en/; "/" redirects by the
# browser's Accept-Language (LocaleMiddleware).
urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("subscriptions.urls")),
    path("", include("contributions.urls")),
    path("", include("exchanges.urls")),  # exchange requests and their threads
    path("", include("accounts.urls")),  # privacy page, a member's data download and erasure
    path("partnerships/", include("partnerships.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

# A database outage answers 503 with Retry-After rather than a bare 500.
handler500 = "cooperation_hub.errors.server_error"
