"""Hypothesis strategies for hostile input, shared by the hostile-input tests.

Text a person could type or paste (scripts, event handlers, right-to-left and
emoji text, control characters, NUL) and what only a client that misbehaves
sends (invalid UTF-8, wrong types, arrays where a value is expected).
"""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Bounded so that every hostile-input test together stays within the CI budget;
# no example database: nothing lands in the working tree (.hypothesis/).
HOSTILE = settings(
    deadline=None,
    max_examples=10,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SCRIPTS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)" onclick="alert(1)">click</a>',
    "<svg onload=alert(1)>",
    '"><script>alert(document.cookie)</script>',
    "<iframe src=//evil.example></iframe>",
    '<p onmouseover="alert(1)">hover</p>',
    "<style>body{display:none}</style>",
]
RTL_AND_EMOJI = [
    "مدينة ذكية للجميع",
    "עיר חכמה ושיתוף פעולה",
    "Dakar 🌍🤝 Béthune 🏙️",
    "\u202eevil\u202c reversed",
    "👩🏽‍💻 coopération 🇸🇳🇫🇷",
]
CONTROL = ["\x00", "\x01", "\x07", "\x1b[31m", "\x7f", "\u0085", "\ufeff", "\u200b"]

# Right-to-left and emoji text that must come back exactly as typed.
rtl_or_emoji_text = st.sampled_from(RTL_AND_EMOJI)
# Markup meant to run in a reader's browser, mixed with ordinary words.
script_text = st.builds(
    lambda words, attack: f"{words} {attack} {words}",
    st.sampled_from(["Une idée", "An idea", "Mi idea"]),
    st.sampled_from(SCRIPTS),
)
# Control characters, NUL included (PostgreSQL refuses NUL in text).
control_text = st.builds(
    lambda a, c, b: a + c + b,
    st.sampled_from(["x", "Dakar ", ""]),
    st.sampled_from(CONTROL),
    st.sampled_from(["y", " Lyon", ""]),
)
any_hostile_text = st.one_of(script_text, rtl_or_emoji_text, control_text, st.text(min_size=1, max_size=40))


def too_long(limit: int):
    """Text a little or a lot longer than ``limit``."""
    return st.integers(min_value=limit + 1, max_value=limit * 3).map(lambda n: ("ab é🌍" * n)[:n])


# Bytes that are not UTF-8, to put raw into a body or a query string.
invalid_utf8 = st.sampled_from(
    [b"\xff", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80abc"]
)
# What a misbehaving client sends where a small whole number is expected.
wrong_number = st.sampled_from(["abc", "-1", "0", "1.5", "1e9", "99999999999999999999999", "", " ", "NaN", "[]"])


def executable_markup(html: str) -> list[str]:
    """What in a rendered page would run a script: script elements holding
    code (JSON-LD data excepted), on* event handler attributes, javascript:
    links, frames and objects."""
    from bs4 import BeautifulSoup

    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        if element.name == "script" and element.get("type") != "application/ld+json" and element.string:
            found.append(str(element)[:80])
        if element.name in ("iframe", "object", "embed"):
            found.append(str(element)[:80])
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or text.strip().lower().startswith("javascript:"):
                found.append(f"<{element.name} {name}={text[:40]!r}>")
    return found


@pytest.fixture
def database_search_only(settings):
    """What hostile tests write is indexed by the database backend only: the
    database rolls back after each test, a search engine's index would keep
    their titles (and offer them to later tests as suggestions)."""
    from tests.search.conftest import database_backends

    settings.WAGTAILSEARCH_BACKENDS = database_backends()
