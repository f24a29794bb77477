"""What a display name may be: the name other members see next to a
contribution, in reply e-mails and in feeds.

Refused: control characters (a CR/LF once reached an e-mail header), bidi
overrides and zero-width characters (U+202E turns "Alice" around, U+200B
hides a difference), and a name that reads like another member's: equal once
NFKC-normalised and case-folded, or once transliterated to ASCII (a Cyrillic
"А" for a Latin "A") with the usual digit/letter look-alikes folded.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control, format (bidi controls, zero-width), surrogate, private-use and
# unassigned code points, and the line/paragraph separators.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_LOOK_ALIKES = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l"})


def normalise(name: str) -> str:
    """NFKC, with runs of white space made one plain space."""
    return " ".join(unicodedata.normalize("NFKC", name or "").split())


def skeleton(name: str) -> str:
    """A comparison key: two names with the same key read alike."""
    folded = normalise(name).casefold()
    ascii_key = "".join(ch for ch in anyascii(folded).casefold() if ch.isalnum()).translate(_LOOK_ALIKES)
    return ascii_key or re.sub(r"\s+", "", folded)


def has_forbidden_characters(name: str) -> bool:
    return any(unicodedata.category(ch) in FORBIDDEN_CATEGORIES for ch in name or "")


def clean_display_name(value: str, user=None) -> str:
    """The display name to store, or ValidationError with the reason. ``user``
    is the member choosing it (their own current name is no conflict)."""
    if has_forbidden_characters(value):
        raise ValidationError(
            _("This name contains invisible or control characters: use letters, digits, spaces and punctuation."),
            code="forbidden_characters",
        )
    name = normalise(value)
    if not name:
        raise ValidationError(_("Enter the name to show with your contributions."), code="required")
    key, exact = skeleton(name), name.casefold()
    others = get_user_model()._default_manager.exclude(display_name="")
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    # Read whole: homoglyphs cannot be matched by the database. A name is
    # chosen at sign-up and on the profile page only.
    for other in others.values_list("display_name", flat=True).iterator():
        if normalise(other).casefold() == exact or skeleton(other) == key:
            raise ValidationError(
                _("Another member already uses this name, or one that reads the same: choose another one."),
                code="taken",
            )
    return name


def for_header(text: str) -> str:
    """``text`` fit for an e-mail header (a subject): one line, no control
    or invisible characters. Names stored before these rules still pass here."""
    one_line = " ".join((text or "").split())
    return "".join(ch for ch in one_line if unicodedata.category(ch) not in FORBIDDEN_CATEGORIES)
