"""/api/v2/images/ lists only the images a page visible to the public shows (issue #15):
a cover uploaded for a draft or a private report is neither listed nor given by id."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale

from experiences.models import City, ExperienceIndexPage, ExperiencePage
from tests.privacy import PRIVATE_REPORT, make_private

pytestmark = pytest.mark.django_db


def _image(title: str):
    data = BytesIO()
    PILImage.new("RGB", (40, 30), (30, 120, 90)).save(data, "PNG")
    image = get_image_model()(title=title, width=40, height=30)
    image.file.save(f"{title.lower().replace(' ', '-')}.png", ContentFile(data.getvalue()), save=False)
    image.width, image.height = 40, 30  # the file's save reset them
    image.save()
    return image


def _listed(client) -> set[str]:
    response = client.get("/api/v2/images/?limit=20")
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_only_images_of_public_pages_are_listed(client, demo):
    public = ExperiencePage.objects.get(external_id=PRIVATE_REPORT, locale__language_code="en")
    public.cover_image, public.cover_alt = _image("Public cover"), "A public picture"
    public.save_revision().publish()
    index = ExperienceIndexPage.objects.get(locale__language_code="en")
    draft = ExperiencePage(
        title="Draft with a cover",
        slug="draft-with-a-cover",
        external_id="draft-with-a-cover",
        summary="Not yet reviewed.",
        city=City.objects.first(),
        locale=Locale.objects.get(language_code="en"),
        live=False,
        cover_image=_image("Draft cover"),
        cover_alt="Not public yet",
    )
    index.add_child(instance=draft)
    draft.save_revision()
    orphan = _image("Uploaded but unused")

    listed = _listed(client)
    assert "Public cover" in listed
    assert "Draft cover" not in listed and "Uploaded but unused" not in listed
    assert client.get(f"/api/v2/images/{draft.cover_image_id}/").status_code == 404
    assert client.get(f"/api/v2/images/{orphan.pk}/").status_code == 404
    assert client.get(f"/api/v2/images/{public.cover_image_id}/").status_code == 200

    # The report made private: its cover leaves the public list.
    make_private(ExperiencePage.objects.get(pk=public.pk))
    assert "Public cover" not in _listed(client)
