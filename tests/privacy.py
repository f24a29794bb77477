"""Making demo pages private, as an editor does with the "Privacy" button of the admin."""

from wagtail.models import Page, PageViewRestriction

# Its title, city (the only one in Brazil) and tags ("recycling", "recyclage") are its own;
# "Curitiba" is also a partner city of the Saint-Louis report, which mentions it.
PRIVATE_REPORT = "curitiba-recycling-for-food"
ENGLISH_TITLE = "Curitiba: swapping recyclable waste for fruit and vegetables"
FRENCH_TITLE_PART = "échanger des déchets recyclables"


def make_private(page: Page, password: str = "not-for-everyone") -> PageViewRestriction:
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=password
    )


def make_report_private(external_id: str = PRIVATE_REPORT) -> list[Page]:
    """Both translations of a demo report behind a password; returns them."""
    from experiences.models import ExperiencePage

    pages = list(ExperiencePage.objects.live().filter(external_id=external_id))
    assert pages, external_id
    for page in pages:
        make_private(page)
    return pages
