"""Found by an outside attack (issue #11): the admin's login had no lockout,
rate limits behind a proxy counted the proxy, and allauth's e-mails took
their links from the Host header."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from contributions import ratelimit

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-test-password-42"
LOCKED = "Too many failed login attempts"
LOCKED_FR = "Trop de tentatives de connexion échouées"  # the admin speaks the site's language, French


def _member(username="member", email="member@example.org", **extra):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username, email, PASSWORD, display_name=username.title(), **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _admin_login(client, login, password, **headers):
    return client.post("/admin/login/", {"username": login, "password": password}, **headers)


def test_twenty_wrong_passwords_on_the_admin_login_lock_the_account_with_a_message(client):
    _member("editor", "editor@example.org", is_staff=True, is_superuser=True)
    answers = [_admin_login(client, "editor", f"wrong-{i}").content.decode() for i in range(20)]
    assert all(LOCKED_FR not in a for a in answers[:5])
    assert all(LOCKED_FR in a for a in answers[5:])
    # Locked: even the right password is refused, with the same clear message.
    locked = _admin_login(client, "editor", PASSWORD)
    assert locked.status_code == 200 and LOCKED_FR in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_members_address_on_the_admin_login_counts_in_allauths_lockout(client):
    _member("reader", "reader@example.org")
    for i in range(5):
        _admin_login(client, "Reader@Example.org", f"wrong-{i}")
    # The same counters as the members' own login page: it is locked too.
    page = Client().post("/en/accounts/login/", {"login": "reader@example.org", "password": PASSWORD})
    assert LOCKED in page.content.decode()


def test_user_name_and_address_of_one_account_share_one_counter(client):
    _member("officer2", "officer2@example.org", is_staff=True)
    for i in range(3):
        _admin_login(client, "officer2", f"wrong-{i}")
    for i in range(2):
        _admin_login(client, "OFFICER2@example.org", f"wrong-{i}")
    assert LOCKED_FR in _admin_login(client, "officer2", PASSWORD).content.decode()


def test_a_successful_admin_login_is_not_counted_as_a_failure(client):
    _member("chief", "chief@example.org", is_staff=True, is_superuser=True)
    for _ in range(6):
        assert _admin_login(Client(), "chief", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "198.51.100.7", "10.0.0.1", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "10.0.0.1", "198.51.100.7"),  # what the client wrote is ignored
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "10.0.0.1", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.1", "10.0.0.1"),  # did not come through both proxies
        (1, "not-an-address", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_the_client_address_behind_trusted_proxies(rf, settings, count, forwarded, remote, expected):
    from allauth.account.adapter import get_adapter

    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_ip(request) == expected
    assert get_adapter(request).get_client_ip(request) == expected  # allauth's limits too


def test_behind_a_tls_proxy_each_real_client_has_its_own_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CONTRIBUTIONS_RATE_LIMITS = {"subscribe": (1, 3600)}
    budget = ratelimit.IP_FACTOR
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def subscribe(i, forwarded):
        data = {"email": f"reader{i}@example.org", "frequency": "weekly", "language": "en", "themes": []}
        return Client().post("/en/subscribe/", data, HTTP_X_FORWARDED_FOR=forwarded, **proxy).status_code

    assert [subscribe(i, "198.51.100.7") for i in range(budget)] == [302] * budget
    assert subscribe(budget, "198.51.100.7") == 429
    # Forging an address in front does not buy a new budget...
    assert subscribe(budget + 1, "6.6.6.6, 198.51.100.7") == 429
    # ...while another client behind the same proxy is not blocked by the first.
    assert subscribe(budget + 2, "198.51.100.8") == 302


def test_testserver_is_not_an_allowed_host_by_default(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "cooperation_hub.settings", "DJANGO_DEBUG": "1", "HUB_VAR_DIR": str(tmp_path)}
    )
    code = "from django.conf import settings; print(','.join(settings.ALLOWED_HOSTS))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    hosts = result.stdout.strip().split(",")
    assert "testserver" not in hosts and "127.0.0.1" in hosts


def test_allauth_email_links_use_site_url_not_the_host_header(client, settings, mailoutbox):
    settings.SITE_URL = "https://hub.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other-host.example"]
    _member("forgetful", "forgetful@example.org")
    client.post("/en/accounts/password/reset/", {"email": "forgetful@example.org"}, HTTP_HOST="other-host.example")
    client.post(
        "/en/accounts/signup/",
        {
            "email": "newcomer@example.org",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
            "display_name": "Newcomer",
        },
        HTTP_HOST="other-host.example",
    )
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        links = re.findall(r"https?://[^\s\"<>]+", message.body)
        assert links and all(link.startswith("https://hub.example.org/") for link in links), links
        assert any(link.startswith("https://hub.example.org/en/accounts/") for link in links), links
        assert "other-host.example" not in message.body + message.subject
