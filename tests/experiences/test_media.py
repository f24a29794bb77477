"""Pictures and documents of a report: the cover (with its alt text) on the report, the cards,
the digest and the API; the gallery and the attachments on the report; documents of a draft
are not served."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from experiences.models import ExperienceAttachment, ExperienceGalleryImage, ExperiencePage
from subscriptions import digests
from tests.hostile import database_search_only  # noqa: F401 - fixture
from tests.subscriptions.helpers import subscriber

from .helpers import import_records, record
from .test_page_costs import queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search_only")]
DEMO_ALT_EN = "Illustration: a skyline of buildings with lit windows under a blue sky and a yellow sun"


def _image(title: str = "Solar roof", size=(800, 500)):
    data = BytesIO()
    PILImage.new("RGB", size, (30, 120, 90)).save(data, "PNG")
    image = get_image_model()(title=title, width=size[0], height=size[1])
    image.file.save(f"{title.lower().replace(' ', '-')}.png", ContentFile(data.getvalue()), save=False)
    image.width, image.height = size
    image.save()
    return image


def _document(title: str = "Final report"):
    document = get_document_model()(title=title)
    document.file.save("final-report.txt", ContentFile(b"x" * 2048), save=False)
    document.save()
    return document


def _report(external_id: str = "media-report", publish: bool = True, **extra) -> ExperiencePage:
    import_records(
        record(external_id, title="Solar roofs for schools", city="Mediaville", themes=["energy-climate"], **extra),
        publish=publish,
    )
    return ExperiencePage.objects.get(external_id=external_id, locale__language_code="en")


def _with_media(page: ExperiencePage, publish: bool = True) -> ExperiencePage:
    page.cover_image, page.cover_alt = _image(), "Pupils on a school roof covered with solar panels"
    page.gallery_images.add(
        ExperienceGalleryImage(image=_image("Panels"), alt_text="Rows of solar panels", caption="The roof in June")
    )
    page.attachments.add(ExperienceAttachment(document=_document(), title="Evaluation report"))
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def test_the_demo_report_shows_its_cover_with_alt_text_and_srcset(client):
    page = ExperiencePage.objects.get(external_id="bethune-smart-city", locale__language_code="en")
    html = client.get(page.url).content.decode()
    cover = re.search(r'<figure class="report-cover"><picture>(.*?)</picture></figure>', html, re.S)
    assert cover, "no cover on the report"
    img = re.search(r"<img [^>]+>", cover.group(1)).group(0)
    assert f'alt="{DEMO_ALT_EN}' in img
    assert re.search(r'srcset="[^"]+ 480w, [^"]+ 800w, [^"]+ 1200w"', img)
    assert 'width="' in img and 'height="' in img  # no layout shift
    assert 'type="image/webp"' in cover.group(1)
    french = ExperiencePage.objects.get(external_id="bethune-smart-city", locale__language_code="fr")
    assert 'alt="Illustration\u00a0: silhouette d’immeubles' in client.get(french.url).content.decode()


def test_a_card_shows_a_small_cover_with_alt_text_width_and_height(client):
    html = client.get("/en/experiences/", {"q": "Béthune"}).content.decode()
    img = re.search(r'<img [^>]*class="card-cover"[^>]*>', html).group(0)
    assert f'alt="{DEMO_ALT_EN}' in img
    assert 'width="320"' in img and 'height="168"' in img and 'loading="lazy"' in img
    assert re.search(r'srcset="[^"]+ 320w, [^"]+ 640w"', img)


def test_gallery_and_attachments_are_listed_on_the_report(client):
    page = _with_media(_report())
    html = client.get(page.url).content.decode()
    assert 'alt="Pupils on a school roof covered with solar panels"' in html
    gallery = html[html.index('id="gallery-h"') :]
    assert 'alt="Rows of solar panels"' in gallery and "<figcaption>The roof in June</figcaption>" in gallery
    assert re.search(r'<a href="/media/images/panels[^"]*\.max-1600x1200\.png"><img', gallery)
    attachment = ExperienceAttachment.objects.get(experience=page)
    assert re.search(
        rf'<a href="{re.escape(attachment.document.url)}" download>Evaluation report</a> '
        r'<span class="meta">\(TXT, 2\.0\s+KB\)</span>',
        html,
    )
    assert client.get(attachment.document.url).status_code == 200  # public: the report is live


def test_a_document_attached_to_a_draft_is_not_served(client):
    page = _with_media(_report("draft-media", publish=False), publish=False)
    document = page.attachments.first().document
    assert client.get(document.url).status_code == 404


def test_alt_text_is_required_when_a_cover_is_chosen():
    page = _report()
    page.cover_image = _image()
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "cover_alt" in error.value.message_dict
    page.cover_alt = "A green field"
    page.full_clean()


def test_the_admin_form_refuses_a_cover_without_alt_text(client):
    from django.contrib.auth import get_user_model

    page = _report()
    admin = get_user_model().objects.create_superuser("media-admin", "media-admin@example.org", "x")
    client.force_login(admin)
    edit_url = f"/admin/pages/{page.pk}/edit/"
    form = client.get(edit_url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    for formset in form.formsets.values():
        data.update({f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()})
        for index, child in enumerate(formset.forms):
            for name in child.fields:
                value = child[name].value()
                if value is not None:
                    data[f"{formset.prefix}-{index}-{name}"] = value
    data["body-count"] = 0
    data["cover_image"] = _image().pk
    data["cover_alt"] = ""
    response = client.post(edit_url, data)
    assert response.status_code == 200  # the form again, not a redirect
    # The admin speaks the site's default language, French.
    assert "Décrivez l’image de couverture pour les lecteurs qui ne la voient pas." in response.content.decode()
    assert ExperiencePage.objects.get(pk=page.pk).cover_image is None


def test_the_api_exposes_the_cover(client):
    page = ExperiencePage.objects.get(external_id="dubai-happiness-index", locale__language_code="fr")
    cover = client.get(f"/api/v2/pages/{page.pk}/").json()["cover"]
    assert cover["id"] == page.cover_image_id
    assert cover["url"].startswith(f"{settings.SITE_URL}/media/images/") and cover["width"] == 1200
    assert cover["alt"].startswith("Illustration\u00a0: silhouette d’immeubles")
    listing = client.get(
        "/api/v2/pages/",
        {"type": "experiences.ExperiencePage", "fields": "cover", "external_id": "dubai-happiness-index"},
    )
    assert listing.status_code == 200
    without = ExperiencePage.objects.get(external_id="cerema-medium-cities-study", locale__language_code="en")
    assert client.get(f"/api/v2/pages/{without.pk}/").json()["cover"] is None


def test_the_digest_shows_the_cover_at_an_absolute_address():
    page = _with_media(_report("digest-media"))
    ExperiencePage.objects.filter(pk=page.pk).update(last_published_at=timezone.now() - timedelta(hours=1))
    sub = subscriber(
        "covers@example.org",
        language="en",
        themes=["energy-climate"],
        frequency="daily",
        confirmed_at=timezone.now() - timedelta(days=2),
    )
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(seconds=1)
    message = digests.render_digest(digests.digest_for_period(sub, start, end))
    html = message.alternatives[0][0]
    img = re.search(r'<img src="(https?://[^"]+)" width="520" height="273" alt="([^"]+)"', html)
    assert img, html
    assert img.group(1).startswith(f"{settings.SITE_URL}/media/images/") and ".fill-520x273" in img.group(1)
    assert img.group(2) == "Pupils on a school roof covered with solar panels"


@pytest.fixture
def own_cache(settings):
    """A cache of this process only: the file cache is shared with other test runs, whose
    clearing it would make the header's links cost queries in the middle of a count."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-media"},
        "generations": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-media-gen"},
    }


def test_the_list_costs_the_same_with_one_or_five_covers(client, no_page_cache, own_cache):
    url = "/en/experiences/?theme=energy-climate&q=Mediaville"
    _with_media(_report("cost-cover-0"))
    few = queries_for(client, url)
    for i in range(1, 5):
        _with_media(_report(f"cost-cover-{i}"))
    queries_for(client, url)  # the new covers' renditions are made once
    assert queries_for(client, url) == few
