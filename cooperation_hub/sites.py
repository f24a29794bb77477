"""The site's public address: SITE_URL, and every absolute address built from it.

Wagtail builds every absolute page address (the API's ``html_url``, workflow
e-mails, ``page.full_url``) from its default Site's hostname and port, which
its own migration sets to ``localhost:80``. The site's public address is
SITE_URL, so the default Site is derived from it.

Links that leave the site (e-mails, exports, feeds, headers) are built here and
nowhere else: ``absolute_url`` for a path, ``absolute_reverse`` for a named URL
in a given language, ``PageAddresses`` for many Wagtail pages at once. SITE_URL
is read at call time, so ``override_settings`` reaches every link.
"""

from __future__ import annotations

from contextlib import nullcontext
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation

# What Wagtail's initial migration creates: nobody chose it.
FACTORY_ADDRESS = ("localhost", 80)


def site_address(site_url: str) -> tuple[str, int]:
    """(hostname, port) of a base URL, the port defaulting to its scheme's."""
    parts = urlsplit(site_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "localhost", port


def sync_default_site(site_url: str | None = None, *, only_if_factory: bool = False) -> bool:
    """Point the default Site at SITE_URL's host and port; True if it changed.

    ``only_if_factory`` leaves a Site someone configured in the admin alone and
    only replaces Wagtail's ``localhost:80`` (what runs after every migrate).
    """
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return False
    if only_if_factory and (site.hostname, site.port) != FACTORY_ADDRESS:
        return False
    hostname, port = site_address(site_url or settings.SITE_URL)
    if (site.hostname, site.port) == (hostname, port):
        return False
    if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        return False  # another Site already answers there: hostname and port are unique together
    site.hostname, site.port = hostname, port
    site.save()
    return True


def sync_after_migrate(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    # A partial migrate may stop before Wagtail's tables exist.
    if "wagtailcore_site" in connections[using].introspection.table_names():
        sync_default_site(only_if_factory=True)


# --- Absolute addresses --------------------------------------------------------------


def absolute_url(url: str, *, rehost: bool = False) -> str:
    """``url`` as an address on SITE_URL.

    A path gets SITE_URL's scheme and host. An address that already has a host
    is kept (a rendition on a CDN), unless ``rehost``: then only its path, query
    and fragment are kept, so that a link never follows the request's Host
    header (allauth builds its links from the request)."""
    bits = urlsplit(url)
    if bits.scheme in ("http", "https") and not rehost:
        return url
    base = settings.SITE_URL.rstrip("/")
    return base + urlunsplit(("", "", bits.path or "/", bits.query, bits.fragment))


def absolute_reverse(viewname: str, *, language: str | None = None, args=None, kwargs=None) -> str:
    """``reverse()`` on SITE_URL; under /<language>/ when given (else the active language)."""
    with translation.override(language) if language else nullcontext():
        return absolute_url(reverse(viewname, args=args, kwargs=kwargs))


class PageAddresses:
    """Absolute addresses of many Wagtail pages, built from their ``url_path``.

    ``page.full_url`` looks the site's root paths up again for every page (a
    cache round trip each); a batch (the digests) reads them once here and then
    reverses each page's path exactly as Wagtail's ``Page.get_url_parts`` does:
    under the page's own language, on SITE_URL."""

    def __init__(self) -> None:
        from wagtail.models import Site

        # Public API, in the order Wagtail prefers them (default site first).
        self._roots = Site.get_site_root_paths()

    def __call__(self, page) -> str:
        for _site_id, root_path, _root_url, language in self._roots:
            if page.url_path.startswith(root_path):
                with translation.override(language):
                    path = reverse("wagtail_serve", args=(page.url_path[len(root_path) :],))
                if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and path != "/":
                    path = path.rstrip("/")
                return absolute_url(path)
        return absolute_url("/")  # not routable (outside every site): the home page
