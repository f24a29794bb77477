"""Walked as an officer in the French admin (issue #15): right after "Soumettre à …", the status
panel said "Envoyé vers Relecture par un relecteur 3 seconds ago". Wagtail writes these times with
django.contrib.humanize's naturaltime, whose French catalogue Django loads only for an installed app."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation


def test_relative_times_read_in_french():
    from datetime import timedelta

    from django.contrib.humanize.templatetags.humanize import naturaltime

    with translation.override("fr"):
        assert naturaltime(timezone.now() - timedelta(hours=3)) == "il y a 3\u00a0heures"
        assert "ago" not in naturaltime(timezone.now() - timedelta(seconds=3))


@pytest.mark.django_db
def test_the_status_panel_of_a_submitted_report_says_when_in_french(client, demo):
    from experiences.models import ExperiencePage

    page = ExperiencePage.objects.filter(locale__language_code="fr").first()
    admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "root-times", "root-times@example.org", "pw-not-used-1234"
    )
    page.get_workflow().start(page, admin)
    client.force_login(admin)
    html = client.get(f"/admin/pages/{page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    status = re.findall(r"Envoyé vers [^<]{0,120}", html)
    assert status, "no workflow status in the panel"
    assert not [s for s in status if re.search(r"\b(now|ago)\b", s)], status
    assert [s for s in status if re.search(r"maintenant|il y a", s)], status
