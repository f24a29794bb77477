"""The French subscription pages say "e-mail" like the rest of the site (issue #15:
"courriel" here, "e-mail" on sign-up, replies and exchanges)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_french_subscribe_page_says_e_mail(client, demo):
    html = client.get("/fr/subscribe/").content.decode()
    assert "Langue des e-mails" in html and "nous vous envoyons par e-mail" in html
    assert "courriel" not in html.lower()
