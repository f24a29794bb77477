"""Contributing through the consultation page: the window on the server,
the typed text given back, sanitisation, both languages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contributions.models import Contribution

from .conftest import make_consultation, make_member

pytestmark = pytest.mark.django_db

TITLE = "Jumelage d'écoles entre Montpellier et Wuhan"
BODY = "Des classes correspondent chaque mois\n\net préparent une visite d'échange."


def _post(client, page, **extra):
    data = {"title": TITLE, "body": BODY, "tags": "écoles, energy", "section": "", "website": ""}
    data.update(extra)
    return client.post(page.url, data)


def test_a_verified_member_contributes_while_the_window_is_open(client, consultation, member):
    client.force_login(member)
    section = consultation.sections.get(slug="beta")
    response = _post(client, consultation, section=str(section.pk))
    contribution = Contribution.objects.get(consultation=consultation, title=TITLE)
    assert response.status_code == 302
    assert response["Location"] == f"{consultation.url}contributions/{contribution.pk}/"
    assert contribution.author == member and contribution.section == section and contribution.language == "fr"
    assert sorted(t.name for t in contribution.tags.all()) == ["energy", "écoles"]
    assert contribution.body == "<p>Des classes correspondent chaque mois</p><p>et préparent une visite d'échange.</p>"


def test_the_form_is_offered_while_open_and_not_after_closing(client, consultation, member):
    client.force_login(member)
    assert 'name="title"' in client.get(consultation.url).content.decode()
    closed = make_consultation(
        closes_at=timezone.now() - timedelta(seconds=1), opens_at=timezone.now() - timedelta(days=3)
    )
    page = client.get(closed.url).content.decode()
    assert 'name="title"' not in page
    assert "Cette consultation est close" in page


def test_a_form_opened_before_closing_and_sent_after_is_refused_and_gives_the_text_back(client, consultation, member):
    client.force_login(member)
    assert client.get(consultation.url).status_code == 200  # the form is shown while open…
    consultation.closes_at = timezone.now() - timedelta(seconds=1)  # …then the window closes…
    consultation.save_revision().publish()
    response = _post(client, consultation)  # …and the form arrives.
    html = response.content.decode()
    assert response.status_code == 403
    assert not Contribution.objects.filter(consultation=consultation).exists()
    assert "Cette consultation est close" in html
    assert "Jumelage d&#x27;écoles entre Montpellier et Wuhan" in html  # title given back
    assert "Des classes correspondent chaque mois" in html  # body given back
    assert "écoles, energy" in html  # tags given back


def test_at_the_exact_closing_instant_nothing_is_accepted(consultation, member):
    from contributions import actions

    with pytest.raises(actions.Refused) as refused:
        actions.create_contribution(member, consultation, title="t", body="<p>b</p>", now=consultation.closes_at)
    assert refused.value.status == 403
    just_before = consultation.closes_at - timedelta(microseconds=1)
    assert actions.create_contribution(member, consultation, title="t", body="<p>b</p>", now=just_before).pk


def test_nothing_is_accepted_before_the_opening(client, member):
    upcoming = make_consultation(
        opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(member)
    response = _post(client, upcoming)
    assert response.status_code == 403
    assert "pas encore ouverte" in response.content.decode()
    assert not Contribution.objects.filter(consultation=upcoming).exists()


def test_the_refusal_is_in_english_on_the_english_page(client, consultation_en, member):
    consultation_en.closes_at = timezone.now() - timedelta(seconds=1)
    consultation_en.save_revision().publish()
    client.force_login(member)
    response = _post(client, consultation_en)
    assert response.status_code == 403
    assert "This consultation is closed: new contributions are no longer accepted." in response.content.decode()


def test_a_contribution_on_the_english_page_is_in_english_and_shown_on_both(
    client, consultation, consultation_en, member
):
    client.force_login(member)
    _post(client, consultation_en, title="Twinning schools")
    contribution = Contribution.objects.get(title="Twinning schools")
    assert contribution.language == "en" and contribution.consultation_id == consultation_en.pk
    assert "Twinning schools" in client.get(consultation.url).content.decode()
    assert client.get(f"{consultation.url}contributions/{contribution.pk}/").status_code == 200


def test_an_unverified_account_cannot_contribute(client, consultation):
    client.force_login(make_member("unverified", verified=False))
    response = _post(client, consultation)
    assert response.status_code == 403
    assert "adresse e-mail" in response.content.decode()
    assert "Des classes correspondent chaque mois" in response.content.decode()
    assert not Contribution.objects.filter(consultation=consultation).exists()


def test_an_anonymous_visitor_reads_but_cannot_contribute(client, consultation):
    page = client.get(consultation.url)
    assert page.status_code == 200 and "/accounts/login/" in page.content.decode()
    response = _post(client, consultation)
    assert response.status_code == 403
    assert not Contribution.objects.filter(consultation=consultation).exists()


@pytest.mark.parametrize(
    "dangerous, forbidden",
    [
        ("<script>alert('x')</script>", "<script"),
        ('<p onclick="steal()">Cliquez ici pour lire</p>', "onclick"),
        ('<a href="javascript:alert(1)">un lien piégé</a>', "javascript:"),
        ('<img src="x" onerror="alert(1)">une image', "<img"),
    ],
)
def test_dangerous_markup_is_neutralised_and_its_words_shown_as_text(
    client, consultation, member, dangerous, forbidden
):
    client.force_login(member)
    _post(client, consultation, body=dangerous + " — assez de mots pour passer la longueur minimale.")
    contribution = Contribution.objects.get(consultation=consultation)
    assert forbidden not in contribution.body
    detail = client.get(contribution.url).content.decode()
    article = detail.split('class="rich-text contribution-body"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]
    assert forbidden not in article
    assert "assez de mots" in article


def test_allowed_formatting_is_kept_and_links_get_a_safe_rel(client, consultation, member):
    client.force_login(member)
    body = (
        '<p><strong>Fort</strong> et <em>souligné</em> <a href="https://example.org">lien</a></p><ul><li>un</li></ul>'
    )
    _post(client, consultation, body=body)
    stored = Contribution.objects.get(consultation=consultation).body
    assert "<strong>Fort</strong>" in stored and "<em>souligné</em>" in stored and "<li>un</li>" in stored
    assert 'href="https://example.org"' in stored and 'rel="nofollow noopener noreferrer ugc"' in stored


def test_invalid_fields_are_explained_and_the_text_kept(client, consultation, member):
    client.force_login(member)
    response = _post(client, consultation, title="", body="court")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Champ requis." in html
    assert "Écrivez au moins 20 caractères" in html
    assert "court" in html
