"""The contributor's journey as people outside the team walked it: labels in the
page's language, no support of one's own contribution, replies that can be
edited and withdrawn, the formatting toolbar and tag suggestions, one's
contributions and a public page, a synthesis worth reading."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from contributions import actions
from contributions.models import ConsultationSection, Contribution, Reply, ReplyRevision, Support

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db


def _url(page, c, action=""):
    return f"{page.url}contributions/{c.pk}/{action}"


# --- Labels in the page's language -------------------------------------------------
def test_the_french_page_speaks_french_whatever_the_contributions_language(
    client, consultation, consultation_en, member
):
    ConsultationSection.objects.filter(consultation=consultation_en, slug="alpha").update(title="Heat and water")
    ConsultationSection.objects.filter(consultation=consultation, slug="alpha").update(title="Chaleur et eau")
    english = make_contribution(
        consultation_en,
        member,
        title="Shared dashboards",
        language="en",
        section=consultation_en.sections.get(slug="alpha"),
    )
    page = client.get(consultation.url).content.decode()
    assert "Chaleur et eau" in page and "Heat and water" not in page
    assert "en anglais" in page and "· English" not in page
    assert '<h3 lang="en">' in page
    # The card links the contribution on the French page, not the English one.
    assert _url(consultation, english) in page
    detail = client.get(_url(consultation, english)).content.decode()
    assert "Chaleur et eau" in detail and "Heat and water" not in detail and "en anglais" in detail
    en_page = client.get(consultation_en.url).content.decode()
    assert "Heat and water" in en_page and "in English" not in en_page


def test_a_closed_consultation_is_not_called_close_in_french(client, demo):
    from contributions.models import ConsultationPage

    closed = ConsultationPage.objects.get(
        slug="ville-intelligente-cooperation-decentralisee", locale__language_code="fr"
    )
    page = client.get(closed.url).content.decode()
    assert ">Close<" not in page and "Clôturée" in page
    assert "en anglais" in page and "· English" not in page


# --- Supports ---------------------------------------------------------------------------
def test_nobody_supports_their_own_contribution(client, consultation, member):
    c = make_contribution(consultation, member)
    client.force_login(member)
    page = client.get(_url(consultation, c)).content.decode()
    assert f'action="{_url(consultation, c)}support/"' not in page
    assert "C’est votre contribution" in page
    refused = client.post(_url(consultation, c, "support/"), {"supported": "1"})
    assert refused.status_code == 403 and "propre contribution" in refused.content.decode()
    assert not Support.objects.filter(contribution=c).exists()
    with pytest.raises(actions.Refused):
        actions.set_support(member, c, True)


def test_withdrawing_a_support_and_a_contribution_have_distinct_labels(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    client.force_login(other_member)
    client.post(_url(consultation, c, "support/"), {"supported": "1"})
    supporter_page = client.get(_url(consultation, c)).content.decode()
    assert "Je ne suis plus intéressé·e" in supporter_page and "Retirer mon soutien" not in supporter_page
    client.force_login(member)
    author_page = client.get(_url(consultation, c)).content.decode()
    assert "Retirer ma contribution" in author_page and "Modifier ma contribution" in author_page
    assert ">Retirer<" not in author_page


# --- Replies: edit and withdraw ---------------------------------------------------------
def test_the_author_edits_their_reply_and_the_previous_version_is_kept(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    reply = actions.add_reply(other_member, c, "<p>Une première réponse.</p>")
    client.force_login(other_member)
    page = client.get(_url(consultation, c)).content.decode()
    edit_url = _url(consultation, c, f"replies/{reply.pk}/edit/")
    assert edit_url in page and "Modifier ma réponse" in page and "Retirer ma réponse" in page
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {"body": "<p>Une réponse <strong>corrigée</strong>.</p>", "website": ""})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body == "<p>Une réponse <strong>corrigée</strong>.</p>"
    assert ReplyRevision.objects.get(reply=reply).body == "<p>Une première réponse.</p>"
    assert "modifiée" in client.get(_url(consultation, c)).content.decode()


def test_the_author_withdraws_their_reply(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    reply = actions.add_reply(other_member, c, "<p>Une réponse à retirer.</p>")
    client.force_login(other_member)
    withdraw_url = _url(consultation, c, f"replies/{reply.pk}/withdraw/")
    assert client.get(withdraw_url).status_code == 200
    assert client.post(withdraw_url).status_code == 302
    reply.refresh_from_db()
    assert reply.state == Contribution.State.WITHDRAWN
    page = client.get(_url(consultation, c)).content.decode()
    assert "Une réponse à retirer." not in page and "0 réponse" in page


def test_only_the_author_changes_a_reply_and_only_while_the_window_is_open(client, consultation, member, other_member):
    c = make_contribution(consultation, member)
    reply = actions.add_reply(other_member, c, "<p>Ma réponse.</p>")
    client.force_login(member)  # not the reply's author
    page = client.get(_url(consultation, c)).content.decode()
    assert "Modifier ma réponse" not in page
    edit_url = _url(consultation, c, f"replies/{reply.pk}/edit/")
    assert client.post(edit_url, {"body": "<p>Piraté.</p>", "website": ""}).status_code == 403
    assert client.post(_url(consultation, c, f"replies/{reply.pk}/withdraw/")).status_code == 403
    # Once closed, the author cannot change it either (the rules of contributions).
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    client.force_login(other_member)
    closed = client.post(edit_url, {"body": "<p>Trop tard.</p>", "website": ""})
    assert closed.status_code == 403 and "Trop tard." in closed.content.decode()  # the text is given back
    assert client.post(_url(consultation, c, f"replies/{reply.pk}/withdraw/")).status_code == 403
    reply.refresh_from_db()
    assert reply.body == "<p>Ma réponse.</p>" and reply.state == Contribution.State.PUBLISHED


# --- The form: toolbar and tag suggestions ------------------------------------------------
def test_the_form_loads_the_editor_and_clickable_tag_suggestions(client, consultation, member):
    client.force_login(member)
    page = client.get(consultation.url).content.decode()
    assert 'data-editor="contribution"' in page and "contributions/js/editor.js" in page
    assert 'data-tag-suggestions="id_tags"' in page and 'data-tag="energy"' in page
    assert "aria-label" in page and 'data-bold="Gras (Ctrl+B)"' in page
    assert "<script>" not in page  # the Content-Security-Policy forbids inline scripts


def test_the_editor_script_is_served(client):
    from django.contrib.staticfiles import finders

    path = finders.find("contributions/js/editor.js")
    text = open(path, encoding="utf-8").read()
    assert "execCommand" in text and "aria-label" in text and "data-tag" in text


def test_what_the_toolbar_writes_is_kept(client, consultation, member):
    """The toolbar writes strong, em, ul, ol and a href: the sanitiser keeps them as they are."""
    client.force_login(member)
    body = (
        "<p>Des <strong>alertes</strong> et des <em>relais</em> :</p><ul><li>un</li></ul>"
        '<ol><li>deux</li></ol><p><a href="https://example.org/">un lien</a></p>'
    )
    assert (
        client.post(consultation.url, {"title": "Formatée", "body": body, "tags": "", "website": ""}).status_code == 302
    )
    stored = Contribution.objects.get(consultation=consultation, title="Formatée").body
    for fragment in (
        "<strong>alertes</strong>",
        "<em>relais</em>",
        "<ul><li>un</li></ul>",
        "<ol><li>deux</li></ol>",
        'href="https://example.org/"',
    ):
        assert fragment in stored


# --- My contributions, the public page ---------------------------------------------------
def test_my_profile_lists_all_my_contributions(client, consultation, member):
    make_contribution(consultation, member, title="Visible idea")
    make_contribution(consultation, member, title="Withdrawn idea", state=Contribution.State.WITHDRAWN)
    client.force_login(member)
    page = client.get("/fr/accounts/profile/").content.decode()
    assert "Mes contributions" in page and "Visible idea" in page and "Withdrawn idea" in page
    assert f"/fr/members/{member.pk}/" in page


def test_my_profile_names_each_consultation_in_the_page_s_language(client, consultation, consultation_en, member):
    """Walked: a contribution posted on the English page was listed on the French profile under
    the English consultation's title, while its link led to the French page."""
    make_contribution(consultation_en, member, title="Posted in English", language="en")
    client.force_login(member)
    page = client.get("/fr/accounts/profile/").content.decode()
    item = page.split("Posted in English", 1)[1].split("</li>", 1)[0]
    assert consultation.title in item and consultation_en.title not in item


def test_the_public_page_shows_only_visible_contributions_and_no_email(client, consultation, member):
    visible = make_contribution(consultation, member, title="Visible idea")
    make_contribution(consultation, member, title="Hidden idea", state=Contribution.State.HIDDEN)
    make_contribution(consultation, member, title="Withdrawn idea", state=Contribution.State.WITHDRAWN)
    page = client.get(f"/en/members/{member.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert member.display_name in text and member.city in text and member.organisation in text
    assert "Visible idea" in text and "Hidden idea" not in text and "Withdrawn idea" not in text
    assert member.email not in text and member.username not in text.replace(member.display_name, "")
    # Linked from the bylines.
    assert f"/fr/members/{member.pk}/" in client.get(_url(consultation, visible)).content.decode()


def test_no_public_page_for_someone_who_never_took_part(client, db):
    quiet = make_member("quiet")
    assert client.get(f"/fr/members/{quiet.pk}/").status_code == 404
    assert client.get("/fr/members/999999/").status_code == 404


# --- The synthesis --------------------------------------------------------------------------
def test_the_synthesis_shows_most_supported_most_discussed_timeline_and_summary(
    client, consultation, member, other_member
):
    third = make_member("carol")
    popular = make_contribution(
        consultation, member, title="Popular idea", tags=["energy"], section=consultation.sections.get(slug="alpha")
    )
    talked = make_contribution(consultation, other_member, title="Talked-about idea", tags=["water"])
    Support.objects.create(contribution=popular, user=other_member)
    Support.objects.create(contribution=popular, user=third)
    for n in range(2):
        Reply.objects.create(contribution=talked, author=third, body=f"<p>Réponse {n}</p>")
    consultation.synthesis_summary = "<p>Les villes veulent surtout <b>partager leurs alertes</b>.</p>"
    consultation.save_revision().publish()
    page = client.get(f"{consultation.url}synthesis/").content.decode()
    assert "La synthèse des modérateurs" in page and "partager leurs alertes" in page
    supported = page.split('id="supported-title"')[1].split("</section>")[0]
    discussed = page.split('id="discussed-title"')[1].split("</section>")[0]
    assert "Popular idea" in supported and "2 intéressé·es" in supported
    assert "Talked-about idea" in discussed and "2 réponses" in discussed
    assert "Contributions par semaine" in page and "#energy" in page and "Section alpha" in page
    # Walked: the timeline's tables and the totals below them had the same headings.
    headings = re.findall(r"<(?:h2|caption)[^>]*>([^<]+)<", page)
    assert len(headings) == len(set(headings)), headings
    assert "Par section, période par période" in headings and "Par section" in headings


def test_the_synthesis_without_summary_or_contributions(client, consultation):
    page = client.get(f"{consultation.url}synthesis/").content.decode()
    assert "La synthèse des modérateurs" not in page and "Aucune contribution pour l'instant." in page


def test_the_timeline_counts_per_week_and_section(consultation, member):
    from contributions.queries import timeline

    now = timezone.now()
    alpha = consultation.sections.get(slug="alpha")
    make_contribution(consultation, member, section=alpha, tags=["energy"], created_at=now - timedelta(days=14))
    make_contribution(consultation, member, section=alpha, tags=["energy", "water"], created_at=now)
    result = timeline(consultation)
    assert result.granularity == "week" and len(result.periods) == 3 and sum(result.totals) == 2
    assert result.totals[1] == 0  # a quiet week is shown, not skipped
    assert ("Section alpha", [1, 0, 1], 2) in result.sections
    assert result.tags[0] == ("energy", [1, 0, 1], 2)
