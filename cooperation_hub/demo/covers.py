"""Cover images of a few demo reports, drawn here with Pillow (no download, no file in the repository).

Each picture is a simple skyline under a sky of the city's colours with the city's
name; its alt text says exactly that, in French and in English. Idempotent: the
image is drawn and stored once, then reused; a report already showing it is not
published again.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

WIDTH, HEIGHT = 1200, 630  # the proportions of a link preview card
FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "DejaVuSans-Bold.ttf")


@dataclass(frozen=True)
class DemoCover:
    external_id: str
    city: str
    sky: tuple[tuple[int, int, int], tuple[int, int, int]]  # top and bottom colours
    sun: tuple[int, int, int]
    alt: dict[str, str]


COVERS = (
    DemoCover(
        "bethune-smart-city",
        "Béthune",
        ((31, 95, 139), (160, 205, 230)),
        (250, 204, 21),
        {
            "fr": "Illustration\u00a0: silhouette d’immeubles aux fenêtres éclairées sous un ciel bleu et un soleil "
            "jaune, avec le nom de la ville, Béthune.",
            "en": "Illustration: a skyline of buildings with lit windows under a blue sky and a yellow sun, "
            "with the name of the city, Béthune.",
        },
    ),
    DemoCover(
        "dubai-happiness-index",
        "Dubai",
        ((181, 84, 42), (246, 196, 120)),
        (255, 240, 200),
        {
            "fr": "Illustration\u00a0: silhouette d’immeubles aux fenêtres éclairées sous un ciel orangé de fin de "
            "journée, avec le nom de la ville, Dubai.",
            "en": "Illustration: a skyline of buildings with lit windows under an orange evening sky, "
            "with the name of the city, Dubai.",
        },
    ),
    DemoCover(
        "chefchaouen-market-composting",
        "Chefchaouen",
        ((46, 111, 168), (120, 180, 220)),
        (255, 255, 255),
        {
            "fr": "Illustration\u00a0: silhouette d’immeubles aux fenêtres éclairées sous un ciel bleu clair et un "
            "soleil blanc, avec le nom de la ville, Chefchaouen.",
            "en": "Illustration: a skyline of buildings with lit windows under a light blue sky and a white sun, "
            "with the name of the city, Chefchaouen.",
        },
    ),
)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def draw_cover(cover: DemoCover) -> bytes:
    """A JPEG: a vertical gradient sky, a sun, a skyline whose heights follow the city's name, the name."""
    image = PILImage.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    (r1, g1, b1), (r2, g2, b2) = cover.sky
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        draw.line(
            [(0, y), (WIDTH, y)], fill=(round(r1 + (r2 - r1) * t), round(g1 + (g2 - g1) * t), round(b1 + (b2 - b1) * t))
        )
    draw.ellipse([860, 70, 1020, 230], fill=cover.sun)
    # The same name always gives the same skyline.
    seed = hashlib.sha256(cover.city.encode()).digest()
    x, ground = 0, HEIGHT - 90
    for i in range(24):
        width = 40 + seed[i % len(seed)] % 50
        height = 90 + seed[(i * 7) % len(seed)] % 220
        shade = 30 + seed[(i * 3) % len(seed)] % 40
        draw.rectangle([x, ground - height, x + width, ground], fill=(shade, shade + 10, shade + 25))
        for wy in range(ground - height + 14, ground - 10, 26):  # windows
            for wx in range(x + 8, x + width - 10, 16):
                if seed[(wx + wy) % len(seed)] % 3:
                    draw.rectangle([wx, wy, wx + 7, wy + 11], fill=(250, 220, 120))
        x += width + 6
        if x > WIDTH:
            break
    draw.rectangle([0, ground, WIDTH, HEIGHT], fill=(40, 90, 60))
    font = _font(88)
    box = draw.textbbox((0, 0), cover.city, font=font)
    # Vertically centred: the report page crops a cover to a band around its middle.
    text_x, text_y = 60, (HEIGHT - (box[3] - box[1])) // 2 - 60
    draw.rounded_rectangle(
        [text_x - 24, text_y - 18, text_x + box[2] - box[0] + 24, text_y + box[3] + 18], radius=18, fill=(255, 255, 255)
    )
    draw.text((text_x - box[0], text_y), cover.city, font=font, fill=(22, 50, 74))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def cover_image(cover: DemoCover):
    """The stored image of this cover, created (drawn and saved under MEDIA_ROOT) the first time."""
    Image = get_image_model()
    title = f"Demo cover — {cover.city}"
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    content = draw_cover(cover)
    image = Image(title=title, description=cover.alt["en"], width=WIDTH, height=HEIGHT, file_size=len(content))
    name = f"original_images/demo-cover-{Path(cover.external_id).name}.jpg"
    storage = image.file.storage
    if storage.exists(name) and storage.size(name) == len(content):
        image.file.name = name  # drawn by an earlier load (the same picture): not stored twice
    else:
        image.file.save(name.rsplit("/", 1)[1], ContentFile(content), save=False)
    image.width, image.height = WIDTH, HEIGHT  # saving the file resets them: it is no ImageFile
    image.save()
    return image


def add_demo_covers() -> int:
    """Put the covers on their reports in both languages; returns how many pages were published with one."""
    from experiences.models import ExperiencePage

    published = 0
    for cover in COVERS:
        pages = ExperiencePage.objects.filter(external_id=cover.external_id).select_related("locale")
        if not pages:
            continue
        image = cover_image(cover)
        for page in pages:
            alt = cover.alt.get(page.locale.language_code, cover.alt["en"])
            if page.cover_image_id == image.pk and page.cover_alt == alt:
                continue
            page.cover_image, page.cover_alt = image, alt
            revision = page.save_revision(log_action=False)
            if page.live:
                revision.publish(log_action=None)
                published += 1
    return published
