"""StreamField blocks for the story of an experience report."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=120)
    alt_text = blocks.CharBlock(
        label=_("text alternative"),
        required=False,
        max_length=250,
        help_text=_("What a reader who cannot see the image needs to know."),
    )

    class Meta:
        icon = "image"
        template = "experiences/blocks/captioned_image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=160)

    class Meta:
        icon = "openquote"
        template = "experiences/blocks/quote.html"


class IndicatorBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("indicator"), max_length=120)
    value = blocks.DecimalBlock(label=_("value"))
    unit = blocks.CharBlock(label=_("unit"), required=False, max_length=30)
    year = blocks.IntegerBlock(label=_("year"), required=False, min_value=1900, max_value=2100)


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    figures = blocks.ListBlock(IndicatorBlock(), label=_("figures"))

    class Meta:
        icon = "table"
        template = "experiences/blocks/key_figures.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), required=False, max_length=160)

    class Meta:
        icon = "doc-full"
        template = "experiences/blocks/document.html"


class StoryBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("text"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    image = CaptionedImageBlock(label=_("image"))
    quote = QuoteBlock(label=_("quote"))
    document = DocumentBlock(label=_("document"))
    embed = EmbedBlock(label=_("embedded media"), max_width=800)
    key_figures = KeyFiguresBlock(label=_("key figures"))
    lessons = blocks.RichTextBlock(
        label=_("lessons for other cities"),
        features=["bold", "italic", "link", "ol", "ul"],
        template="experiences/blocks/lessons.html",
    )
