"""The contributions tests' consultation and members, for the site-wide access tests."""

from tests.contributions.conftest import (  # noqa: F401 - fixtures re-exported
    _fresh_rate_limits,
    consultation,
    member,
    moderator,
    other_member,
)
