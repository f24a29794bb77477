from django.http import HttpRequest
from wagtail.models import Locale


def site_navigation(request: HttpRequest) -> dict:
    """The home page of the reader's language, for the header and footer."""
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return {}
    from cooperation_hub.models import HomePage

    home = HomePage.objects.live().filter(locale=locale).first()
    if home is None:
        return {"nav_home": None, "nav_sections": []}
    sections = list(home.get_children().live().in_menu().specific())
    return {"nav_home": home, "nav_sections": sections}
