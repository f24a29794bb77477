"""A password-protected consultation leaves the list of consultations and the
subscription form's choices (issue #11, item 3)."""

import pytest

from contributions.models import ConsultationIndexPage, ConsultationPage
from tests.privacy import make_private

pytestmark = pytest.mark.django_db


def what_the_public_sees_of(client, consultation: ConsultationPage) -> dict[str, bool]:
    index = ConsultationIndexPage.objects.get(locale=consultation.locale)
    return {
        "consultations list": consultation.title in client.get(index.url).content.decode(),
        "subscription form": consultation.title in client.get("/en/subscribe/").content.decode(),
    }


def test_a_private_consultation_leaves_the_listings(client, demo):
    consultation = ConsultationPage.objects.live().filter(locale__language_code="en").first()
    before = what_the_public_sees_of(client, consultation)
    assert before == dict.fromkeys(before, True)
    make_private(consultation)
    after = what_the_public_sees_of(client, consultation)
    assert after == dict.fromkeys(after, False)
    assert client.get(consultation.url).status_code == 200  # its own address asks for the password
    assert consultation.title not in client.get(consultation.url).content.decode()
