"""Where "Propose an exchange" is offered: every report, a city's peers page, and
beside each peer of a digest (a signed link that lands on the prefilled form
after sign-in)."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django.utils.html import escape

from exchanges.tokens import propose_token, read_propose_token
from experiences.models import City
from subscriptions import digests
from tests.subscriptions.helpers import subscriber

from .conftest import make_member

pytestmark = pytest.mark.django_db


def test_every_report_offers_to_propose_an_exchange(client, report):
    for lang in ("en", "fr"):
        page = report.get_translation(report.locale.__class__.objects.get(language_code=lang))
        html = client.get(page.url).content.decode()
        assert f'href="/{lang}/exchanges/propose/?report={page.pk}"' in html
        if lang == "fr":
            assert "Proposer un échange" in html


def test_the_peers_page_offers_the_city_and_each_peer(client, demo):
    html = client.get("/en/cities/saint-louis-sn/peers/").content.decode()
    assert 'href="/en/exchanges/propose/?city=saint-louis-sn"' in html
    assert html.count('class="propose-exchange"') >= 2  # beside the peers too


def test_a_digest_links_each_peer_to_the_prefilled_form_after_sign_in(client, settings, requester, demo):
    settings.SITE_URL = "https://hub.example.org"
    home = City.objects.get(name="Saint-Louis", country="SN")
    sub = subscriber(
        "peers@example.org", language="en", frequency="daily", confirmed_at=timezone.now() - timedelta(days=2)
    )
    sub.city = home
    sub.save()
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(seconds=1)
    digest = digests.digest_for_period(sub, start, end)
    assert digest.peers
    message = digests.render_digest(digest)
    links = re.findall(r"Propose an exchange: (https://hub\.example\.org/en/exchanges/propose/\?t=\S+)", message.body)
    assert len(links) == len(digest.peers)
    assert links[0].split("?t=")[1] in message.alternatives[0][0]  # the HTML part has the same links
    path = urlsplit(links[0]).path + "?" + urlsplit(links[0]).query
    # Signed out: sign in first, then back to the same address.
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/?next=" in response["Location"]
    client.force_login(requester)
    html = client.get(path).content.decode()
    first_peer = digest.peers[0].item
    assert f'<option value="{first_peer.city_id}" selected>' in html
    assert f'<option value="{home.pk}" selected>' in html


def test_an_altered_link_opens_an_empty_form(client, requester, target):
    token = propose_token(target.pk)
    assert read_propose_token(token) == {"to": target.pk}
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert read_propose_token(forged) is None
    client.force_login(requester)
    html = client.get(f"/en/exchanges/propose/?t={forged}").content.decode()
    assert f'<option value="{target.pk}" selected>' not in html


def test_each_comparable_project_offers_to_propose_an_exchange_to_its_city(client, report, home, target):
    """The comparable projects of a report name their cities: beside each, the proposal to that
    city about that report (the form then prefills the city, the report and its themes)."""
    from experiences.models import ExperiencePage
    from search.models import ComparableItem, ComparableList

    for lang, label in (("en", "Propose an exchange to {}"), ("fr", "Proposer un échange à {}")):
        page = report.get_translation(report.locale.__class__.objects.get(language_code=lang))
        # Stored as search/comparable_store.py would: another city's report of the same language.
        other = (
            ExperiencePage.objects.live()
            .filter(locale=page.locale)
            .exclude(city__in=[target, home])
            .select_related("city")
            .first()
        )
        ComparableList.objects.filter(source=page).delete()
        stored = ComparableList.objects.create(source=page, language=lang)
        ComparableItem.objects.create(comparable_list=stored, rank=1, target=other, score=9.0, why={})
        html = client.get(page.url).content.decode()
        comparable = html.split('id="comparable-heading"', 1)[1]
        assert f'href="/{lang}/exchanges/propose/?report={other.pk}"' in comparable
        assert escape(label.format(other.city.name)) in comparable
        client.force_login(make_member("from-comparable"))
        form = client.get(f"/{lang}/exchanges/propose/?report={other.pk}").content.decode()
        assert f'<option value="{other.city_id}" selected>' in form
        client.logout()


def test_a_comparable_project_of_the_reports_own_city_offers_no_second_proposal(client, report):
    """The page already proposes an exchange to its city: a comparable project of the same city
    offered it again ("Propose an exchange to Béthune" on a Béthune report)."""
    from experiences.models import ExperiencePage
    from search.models import ComparableItem, ComparableList

    same_city = ExperiencePage.objects.live().filter(locale=report.locale).exclude(pk=report.pk).first()
    ExperiencePage.objects.filter(pk=same_city.pk).update(city=report.city)
    ComparableList.objects.filter(source=report).delete()
    stored = ComparableList.objects.create(source=report, language=report.locale.language_code)
    ComparableItem.objects.create(comparable_list=stored, rank=1, target=same_city, score=9.0, why={})
    comparable = client.get(report.url).content.decode().split('id="comparable-heading"', 1)[1]
    assert same_city.title.split()[0] in comparable  # listed
    assert f"?report={same_city.pk}" not in comparable  # without a proposal
    assert "{#" not in comparable and "{% comment" not in comparable  # the template's comments stay in it
