from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware


class ReaderLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except for language-neutral paths.

    Django redirects a 404 on an unprefixed path to /<lang>/<path> whenever the
    prefixed path resolves — and Wagtail's catch-all page route resolves every
    path. A missing API object, document or admin page must stay a 404.
    """

    LANGUAGE_NEUTRAL_PREFIXES = ("/api/", "/admin/", "/documents/", "/anymail/", "/static/", "/media/", "/i18n/")

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.path_info.startswith(self.LANGUAGE_NEUTRAL_PREFIXES):
            return response
        return super().process_response(request, response)
