"""The web version of a digest: the e-mail's HTML part, behind a signed link.

Kept apart from views.py (the subscription forms): this page is a document of
its own, not a page of the site's layout."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from . import digests, tokens
from .views import bad_link


# The HTML part is styled inline, as e-mail clients require; the page allows
# style *attributes* (never <style> elements nor any script) to look the same.
# django-csp types a view as taking the request alone (no URL arguments).
@csp_update({"style-src-attr": [UNSAFE_INLINE]})  # type: ignore[arg-type]
@require_safe
def digest_web(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription, start, end = tokens.read_digest_token(token)
    except tokens.TokenError as error:
        return bad_link(request, error)
    html = digests.render_digest_html(digests.digest_for_period(subscription, start, end), web=True)
    response = HttpResponse(html)
    # The link is a credential of sorts: keep it out of other sites' logs and of search engines.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
