"""Walked as an officer (issue #15): the admin account page logged "Invalid time zone
specified: localtime" in the browser console. Wagtail offers every key zoneinfo finds
and labels each option with the browser's Intl.DateTimeFormat, which rejects the
system's "localtime", "posixrules" and "Factory"."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_the_account_page_offers_only_time_zones_a_browser_knows(client):
    admin = get_user_model().objects.create_superuser("tz-admin", "tz-admin@example.org", "pw-not-used-1234")
    client.force_login(admin)
    response = client.get("/admin/account/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    select = re.search(r'<select name="locale-current_time_zone".*?</select>', html, re.S)
    assert select, "no time zone choice on the account page"
    values = re.findall(r'<option value="([^"]*)"', select.group(0))
    assert "Europe/Paris" in values and "Africa/Dakar" in values and "UTC" in values
    odd = [v for v in values if v and v != "UTC" and "/" not in v]
    assert odd == []  # "localtime", "posixrules", "Factory", "EST5EDT"…
