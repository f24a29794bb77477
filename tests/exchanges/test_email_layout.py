"""Exchange e-mails look like the rest of the site's mail: a text part and an HTML
part in the sign-up and reply e-mails' layout (templates/account/email/base_message.html),
the member's text escaped in it, and the French says "e-mail" like the other catalogues."""

from datetime import timedelta
from unittest import mock

import pytest

from cooperation_hub.sites import PageAddresses
from exchanges import actions
from exchanges.models import ExchangeRequest
from exchanges.tasks import run_exchange_clock

pytestmark = pytest.mark.django_db

HOSTILE = 'Could we talk? <script>alert("x")</script> & <b>bold</b>'


def _html(message) -> str:
    parts = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(parts) == 1, "the e-mail has no HTML part"
    return parts[0]


def test_the_proposal_to_the_city_contact_has_a_branded_html_part_with_the_message_escaped(
    send, contact, colleague, mailoutbox, settings
):
    settings.SITE_URL = "https://hub.example.org"
    exchange = send(message=HOSTILE)
    by_address = {m.to[0]: m for m in mailoutbox}
    french, english = by_address[contact.email], by_address[colleague.email]
    for message, language in ((french, "fr"), (english, "en")):
        html = _html(message)
        assert f'<html lang="{language}">' in html
        assert "Cooperation Hub" in html  # the site's header, as in the sign-up and reply e-mails
        assert f'href="https://hub.example.org/{language}/exchanges/{exchange.pk}/"' in html
        assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; &lt;b&gt;bold&lt;/b&gt;" in html
        assert HOSTILE in message.body  # the text part keeps the member's words as typed
    assert f"Bonjour {contact.public_name}" in _html(french)
    assert f"Hello {colleague.public_name}" in _html(english)
    assert "propose un échange" in _html(french)


def test_answers_and_reminders_have_an_html_part_too(
    send, requester, contact, mailoutbox, django_capture_on_commit_callbacks
):
    exchange = send()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.post_message(contact, exchange, "Avec plaisir <3 & à bientôt")
    assert [m.to for m in mailoutbox] == [[requester.email]]
    html = _html(mailoutbox[0])
    assert "Avec plaisir &lt;3 &amp; à bientôt" in html and f"/exchanges/{exchange.pk}/" in html

    ExchangeRequest.objects.all().delete()  # the demo's open requests, and this answered one
    waiting = send()
    mailoutbox.clear()
    at = waiting.awaiting_since + timedelta(days=7, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=at), django_capture_on_commit_callbacks(execute=True):
        assert run_exchange_clock.apply().get()["reminded"] == 1
    reminders = {m.to[0]: m for m in mailoutbox}
    assert set(reminders) == {contact.email, requester.email}
    assert "attend une réponse depuis une semaine" in _html(reminders[contact.email])
    assert "we reminded its contacts" in _html(reminders[requester.email])


def test_exchange_e_mails_say_e_mail_in_french_like_the_rest_of_the_site(send, contact, mailoutbox):
    send()
    french = next(m for m in mailoutbox if m.to == [contact.email])
    for text in (french.body, _html(french)):
        assert "courriel" not in text.lower()
        assert "Vous recevez cet e-mail" in text


def test_the_text_part_ends_with_the_site_signature_like_the_sign_up_e_mails(
    send, contact, colleague, mailoutbox, settings
):
    """The HTML part was signed, the text part stopped at "Vous recevez cet e-mail…"."""
    settings.SITE_URL = "https://hub.example.org"
    send(message=HOSTILE)
    by_address = {m.to[0]: m for m in mailoutbox}
    french, english = by_address[contact.email].body, by_address[colleague.email].body
    assert french.startswith(f"Bonjour {contact.public_name},")
    assert english.startswith(f"Hello {colleague.public_name},")
    assert "\n--\nCooperation Hub\u00a0: " in french and french.rstrip().endswith("https://hub.example.org/fr/")
    assert "\n--\nCooperation Hub: " in english and english.rstrip().endswith("https://hub.example.org/en/")
    assert "Vous recevez cet e-mail" in french


def test_the_proposal_names_its_report_and_its_working_languages(send, contact, report, mailoutbox):
    """Walked: the city contact read "… proposes an exchange to Béthune: video call" and had to open
    the thread to learn which report it was about and in which languages to answer."""
    send()
    message = next(m for m in mailoutbox if m.to == [contact.email])
    for part in (message.body, _html(message)):
        # On SITE_URL, as every address in an e-mail (cooperation_hub/sites.py).
        assert report.title in part and PageAddresses()(report) in part
        assert "Langues de travail\u00a0: Français, English" in part
