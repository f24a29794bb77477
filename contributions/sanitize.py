"""The limited formatting allowed in contributions, enforced with nh3.

Contributions are stored already sanitised, so every template may show them
as they are. Anything outside the allow-list is dropped and its text kept as
plain, escaped text: a pasted ``<script>`` shows its words but never runs, an
``onclick`` or a ``javascript:`` link loses its attribute and keeps its words.
"""

import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
_BLOCK = re.compile(r"<\s*(p|ul|ol|li|br)\b", re.IGNORECASE)


def clean_html(text: str) -> str:
    """Sanitised HTML for a contribution body.

    Plain text (no block markup) is turned into paragraphs first, so that a
    contributor who types line breaks sees them kept.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    if text and not _BLOCK.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        clean_content_tags=set(),
    ).strip()


def to_text(html: str) -> str:
    """The text of a sanitised body, for exports, snippets and e-mails."""
    text = re.sub(r"<br\s*/?>", "\n", html or "")
    text = re.sub(r"</(p|li)>", "\n", text)
    text = nh3.clean(text, tags=set())
    import html as html_lib

    return re.sub(r"\n{3,}", "\n\n", html_lib.unescape(text)).strip()
