"""In a real browser: sign up, confirm the address, contribute, reply, support."""

import re
from pathlib import Path

import pytest

from .conftest import make_consultation, make_contribution, make_member

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.django_db(transaction=True)
def test_sign_up_contribute_reply_and_support(browser_page, live_server, demo, mailoutbox):
    consultation = make_consultation()
    someone = make_member("someone", display_name="Fatou Sarr")
    theirs = make_contribution(consultation, someone, title="Partager les données ouvertes")
    page = browser_page
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    # Sign up, then confirm the address with the link received by e-mail.
    page.goto(f"{base}/fr/accounts/signup/")
    page.fill("input[name=email]", "navigatrice@example.org")
    page.fill("input[name=password1]", "Un-mot-de-passe-solide-42")
    page.fill("input[name=password2]", "Un-mot-de-passe-solide-42")
    page.fill("input[name=display_name]", "Lina Navigatrice")
    page.fill("input[name=city]", "Grenoble")
    page.click("form [type=submit]")
    page.wait_for_load_state()
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[0].body).group(0)
    page.goto(base + "/" + link.split("://", 1)[1].split("/", 1)[1])
    page.click("form [type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/fr/accounts/login/")
    page.fill("input[name=login]", "navigatrice@example.org")
    page.fill("input[name=password]", "Un-mot-de-passe-solide-42")
    page.click("form [type=submit]")
    page.wait_for_load_state()

    # Contribute.
    page.goto(base + consultation.url)
    page.get_by_label("Titre").fill("Des classes jumelées")
    page.get_by_label("Votre contribution").fill("Des écoles de Montpellier et de Wuhan correspondent chaque mois.")
    page.get_by_label("Mots-clés").fill("écoles, jumelage")
    page.get_by_role("button", name="Publier ma contribution").click()
    page.wait_for_load_state()
    assert "Merci : votre contribution est publiée." in page.content()
    assert "/contributions/" in page.url
    page.screenshot(path=str(ARTIFACTS / "contributions-published.png"), full_page=True)

    # Reply to someone else's contribution, then support it.
    page.goto(base + theirs.url)
    page.get_by_label("Votre réponse").fill("Nous aimerions en parler avec vous.")
    page.get_by_role("button", name="Répondre").click()
    page.wait_for_load_state()
    assert "Nous aimerions en parler avec vous." in page.content()
    assert "Lina Navigatrice, Grenoble" in page.locator(".reply").last.inner_text()
    page.get_by_role("button", name="Intéressé·e par un échange ?").click()
    page.wait_for_load_state()
    assert "1 membre intéressé·e par un échange" in page.content()
    assert page.get_by_role("button", name="Retirer mon soutien").is_visible()
    page.screenshot(path=str(ARTIFACTS / "contributions-reply-support.png"), full_page=True)
