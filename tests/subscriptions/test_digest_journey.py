"""The subscriber's journey (issue #15): what the digest shows and how it reads,
the country choice, the account link, the web version and the preview."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone, translation

from cooperation_hub.text import name_list
from subscriptions import digests, matching, tokens
from subscriptions.models import DigestDelivery, Subscription
from tests.contributions.conftest import make_consultation, make_contribution, make_member

from .helpers import city, publish_experience, subscriber

pytestmark = pytest.mark.django_db

BODY = "<p>First point &amp; a detail about <strong>compost</strong>.</p><p>Second point, on its own line.</p>"


@pytest.fixture
def followed(demo):
    """A consultation (FR, with its EN translation) followed by an English
    subscriber, with a new contribution made of two paragraphs."""
    page = make_consultation()
    author = make_member("writer")
    contribution = make_contribution(page, author, title="Shared compost sites", body=BODY)
    sub = subscriber(
        "follower@example.org",
        language="en",
        frequency="daily",
        consultations=[str(page.translation_key)],
        confirmed_at=timezone.now() - timedelta(days=2),
    )
    return {"page": page, "contribution": contribution, "sub": sub}


def _digest_message(sub: Subscription):
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(seconds=1)
    return digests.render_digest(digests.digest_for_period(sub, start, end))


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_contribution_paragraphs_are_rendered_not_shown_as_tags(followed):
    message = _digest_message(followed["sub"])
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "<p>" not in part and "&lt;p&gt;" not in part and "&lt;strong&gt;" not in part
    # Text part: tags stripped, entities decoded, one line per paragraph, indented under the item.
    assert "  First point & a detail about compost.\n  Second point, on its own line.\n" in message.body
    # HTML part: real paragraphs and emphasis.
    soup = BeautifulSoup(html, "html.parser")
    paragraphs = [p.get_text() for p in soup.find_all("p") if "point" in p.get_text()]
    assert paragraphs == ["First point & a detail about compost.", "Second point, on its own line."]
    assert soup.find("strong", string="compost")


def test_contribution_link_is_its_permalink_in_the_readers_language(client, followed):
    message = _digest_message(followed["sub"])
    contribution = followed["contribution"]
    html = message.alternatives[0][0]
    link = BeautifulSoup(html, "html.parser").find("a", string="Shared compost sites")["href"]
    assert link in message.body
    assert link.startswith("http://127.0.0.1:8000/en/") and f"/contributions/{contribution.pk}/" in link
    url, _hash, fragment = link.partition("#")
    page = client.get(_path(url))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Shared compost sites" in content
    # Any anchor the link names exists on the page it opens.
    assert not fragment or f'id="{fragment}"' in content


def test_every_url_of_the_text_part_has_a_label(followed, demo):
    from experiences.models import City

    sub = followed["sub"]
    sub.city = City.objects.get(name="Saint-Louis", country="SN")
    sub.save()
    message = _digest_message(sub)
    lines = [line for line in message.body.splitlines() if "://" in line]
    assert len(lines) >= 6  # web version, contribution, peers, all peers, manage, unsubscribe
    for line in lines:
        label, sep, url = line.strip().rpartition(": ")
        assert sep and label and re.fullmatch(r"https?://\S+", url), line
    assert any(line.strip().startswith("All peer cities of Saint-Louis: http") for line in lines)


def test_why_lines_say_why_each_item_is_there(demo):
    thies = city("Thiès-W", "SN", 320000)
    grenoble = city("Grenoble-W", "FR", 158000)
    at = timezone.now() - timedelta(hours=3)
    publish_experience(title="Bus rapid transit", city=thies, themes=["mobility-transport"], language="en", at=at)
    publish_experience(
        title="Solar schools", city=grenoble, themes=["energy-climate"], language="en", at=at, status="completed"
    )
    publish_experience(
        title="Écoles solaires", city=thies, themes=["energy-climate"], language="fr", at=at, status="planned"
    )
    by_theme = subscriber(language="en", themes=["mobility-transport"])
    by_country = subscriber(language="en", countries=["SN"])
    peer_seeker = subscriber(language="fr", city=thies, themes=["energy-climate"])

    en = _digest_message(by_theme).body
    assert "Why: because you follow the theme Mobility" in en
    assert "Solar schools" not in en
    assert "Why: new in Senegal, a country you follow" in _digest_message(by_country).body
    fr = _digest_message(peer_seeker)
    assert "Pourquoi\u00a0: parce que vous suivez le thème Énergie, climat" in fr.body
    assert re.search(r"Pourquoi\u00a0: une ville comparable à la vôtre\u00a0: .*(deux |thèmes communs)", fr.body), (
        fr.body
    )
    assert "Parce que vous suivez le thème Énergie, climat" in fr.alternatives[0][0]


def test_reasons_on_one_line_stay_apart_from_the_theme_names_they_list():
    from subscriptions.digests import reasons_joined

    with translation.override("fr"):
        themes = "thèmes communs\u00a0: " + name_list(["Habitat, environnement", "Alimentation, consommation"])
        line = reasons_joined(["deux villes moyennes", themes, "ODD communs\u00a0: 11"])
    assert line == (
        "deux villes moyennes · thèmes communs\u00a0: Habitat, environnement\u00a0; Alimentation, consommation"
        " · ODD communs\u00a0: 11"
    )


def test_north_south_peers_come_first_in_the_digest_and_on_the_peers_page():
    me = matching.CityFacts(1, "Lorient", "lorient", "FR", "north", "medium", {1, 2})
    # A northern twin that scores higher than the southern peer...
    twin = matching.CityFacts(2, "Annecy", "annecy", "FR", "north", "medium", {1, 2}, {"a", "b", "c"})
    me.tags = {"a", "b", "c"}
    south = matching.CityFacts(3, "Da Nang", "da-nang", "VN", "south", "large", {2})
    corpus = matching.Corpus({c.city_id: c for c in (me, twin, south)}, {1: ("One", "Un"), 2: ("Two", "Deux")})
    assert matching.score_pair(me, twin, corpus).score > matching.score_pair(me, south, corpus).score
    # ...still comes after it: the digest's ranking and the page's lists share the order.
    assert [m.name for m in matching.rank_peers(1, corpus, "en")] == ["Da Nang", "Annecy"]
    assert [m.name for m in matching.peer_lists(1, corpus, "en").comparable] == ["Da Nang", "Annecy"]


def test_country_choice_in_the_pages_language_stored_as_iso_codes(client, django_capture_on_commit_callbacks):
    fr = BeautifulSoup(client.get("/fr/subscribe/").content, "html.parser")
    select = fr.find("select", attrs={"name": "countries"})
    assert select.has_attr("multiple")
    assert select.find("option", value="SN").get_text() == "Sénégal"
    assert select.find("option", value="DE").get_text() == "Allemagne"
    names = [o.get_text() for o in select.find_all("option")]
    assert names.index("Émirats arabes unis") < names.index("Espagne")  # accents sort with their letter
    assert fr.find("script", src=re.compile(r"subscriptions/countries\.js"))
    en = BeautifulSoup(client.get("/en/subscribe/").content, "html.parser")
    assert en.find("select", attrs={"name": "countries"}).find("option", value="DE").get_text() == "Germany"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/subscribe/",
            {"email": "places@example.org", "frequency": "weekly", "language": "en", "countries": ["SN", "VN"]},
        )
    assert response.status_code == 302
    assert Subscription.objects.get(email="places@example.org").countries == ["SN", "VN"]
    # The manage page shows the stored codes as chosen names.
    sub = Subscription.objects.get(email="places@example.org")
    page = BeautifulSoup(
        client.get(f"/fr/subscriptions/manage/{tokens.make_token(sub, tokens.MANAGE)}/").content, "html.parser"
    )
    chosen = [o.get_text() for o in page.find("select", attrs={"name": "countries"}).find_all("option", selected=True)]
    assert chosen == ["Sénégal", "Viêt Nam"]


def test_a_signed_in_subscriber_is_linked_to_the_account(client, demo, django_capture_on_commit_callbacks, mailoutbox):
    member = make_member("reader")
    client.force_login(member)
    page = client.get("/en/subscribe/").content.decode()
    assert f'value="{member.email}"' in page and "linked to your account" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/subscribe/", {"email": member.email, "frequency": "weekly", "language": "en"})
    assert Subscription.objects.get(email=member.email).user == member
    # Another address: linked once its owner confirms it while signed in.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/subscribe/", {"email": "work@elsewhere.example", "frequency": "weekly", "language": "en"})
    other = Subscription.objects.get(email="work@elsewhere.example")
    assert other.user is None
    client.post(f"/en/subscriptions/confirm/{tokens.make_token(other, tokens.CONFIRM)}/")
    other.refresh_from_db()
    assert other.user == member and other.confirmed_at is not None


def test_web_version_of_a_digest(client, followed):
    message = _digest_message(followed["sub"])
    web = re.search(r"View this digest in your browser: (\S+)", message.body).group(1)
    assert web in message.alternatives[0][0]
    response = client.get(_path(web))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Shared compost sites" in content and "Second point, on its own line." in content
    assert "View this digest in your browser" not in content  # the web version does not link to itself
    assert response["Referrer-Policy"] == "no-referrer" and "noindex" in response["X-Robots-Tag"]
    assert "style-src-attr 'unsafe-inline'" in response["Content-Security-Policy"]
    # A tampered or forged token: the clear bad-link page, never a digest.
    token = _path(web).split("/")[3]
    for bad in (
        token[:-3] + ("abc" if not token.endswith("abc") else "xyz"),
        "not-a-token",
        tokens.make_token(followed["sub"], tokens.MANAGE),
    ):
        response = client.get(f"/en/digest/{bad}/")
        assert response.status_code == 400 and "This link is not valid" in response.content.decode()


def test_preview_prints_the_digest_and_sends_nothing(followed, mailoutbox, tmp_path):
    out = StringIO()
    target = tmp_path / "preview.html"
    call_command("send_digests", preview="Follower@Example.org", html=str(target), stdout=out)
    printed = out.getvalue()
    assert mailoutbox == [] and not DigestDelivery.objects.exists()
    assert "Nothing sent" in printed and "Shared compost sites" in printed
    assert "First point & a detail about compost." in printed
    assert "Shared compost sites" in target.read_text()
    with pytest.raises(Exception, match="no subscription"):
        call_command("send_digests", preview="nobody@example.org", stdout=StringIO())


def test_a_subscriber_who_just_confirmed_previews_a_digest_with_content(followed, mailoutbox):
    # The README's first steps: subscribe, confirm, then see what a digest looks like.
    Subscription.objects.filter(pk=followed["sub"].pk).update(confirmed_at=timezone.now())
    out = StringIO()
    call_command("send_digests", preview="follower@example.org", html="-", stdout=out)
    printed = out.getvalue()
    assert "Shared compost sites" in printed and " 0 item(s)" not in printed
    assert "No daily digest yet: shown over a full period back from now" in printed
    assert mailoutbox == [] and not DigestDelivery.objects.exists()


def test_send_digests_says_when_the_period_was_already_handled(followed, mailoutbox):
    Subscription.objects.filter(pk=followed["sub"].pk).update(nothing_new_note=True)
    now = timezone.now()
    first = StringIO()
    call_command("send_digests", frequency="daily", now=now.isoformat(), stdout=first, verbosity=0)
    assert "sent 1" in first.getvalue() and len(mailoutbox) == 1
    again = StringIO()
    call_command("send_digests", frequency="daily", now=now.isoformat(), stdout=again, verbosity=0)
    text = again.getvalue()
    assert re.search(
        r"digests for daily period \d{4}-\d\d-\d\d \(up to .+\) were already sent on .+ \(1 sent\); "
        r"nothing to do\.",
        text,
    ), text
    assert len(mailoutbox) == 1
