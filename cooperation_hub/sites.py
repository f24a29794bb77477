"""The Wagtail Site follows SITE_URL.

Wagtail builds every absolute page address (the API's ``html_url``, workflow
e-mails, ``page.full_url``) from its default Site's hostname and port, which
its own migration sets to ``localhost:80``. The site's public address is
SITE_URL, so the default Site is derived from it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

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
