"""The demo as a peer meets it: every city of the table is on the map, and the reports were
not all published the minute the demo was loaded."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cooperation_hub.demo import load_demo
from cooperation_hub.demo.places_and_dates import PUBLISHED_DAYS_AGO, date_demo_reports
from experiences.mapping import map_data
from experiences.models import City, ExperiencePage

pytestmark = pytest.mark.django_db


def test_every_demo_city_has_coordinates_so_the_map_shows_as_many_cities_as_its_table(client, demo):
    data = map_data(ExperiencePage.objects.live().public())
    unplaced = [city.name for city in data.rows() if not city.has_coordinates]
    assert unplaced == []
    assert len(data.placed()) == len(data.rows()) == 18
    sanjai = City.objects.get(name="Sanjai", country="CN")
    assert 18 < sanjai.latitude < 54 and 73 < sanjai.longitude < 135  # in China
    page = client.get("/fr/experiences/map/").content.decode()
    assert re.search(r"18(\xa0|&nbsp;| )villes", page)
    assert "absente de la carte" not in page  # the table's "(not on the map: no coordinates)"


def test_demo_reports_have_spread_publication_days_in_the_past(client, demo):
    reports = list(ExperiencePage.objects.live().filter(external_id__in=PUBLISHED_DAYS_AGO))
    assert len(reports) == 2 * len(PUBLISHED_DAYS_AGO)  # French and English
    days = {page.first_published_at.date() for page in reports}
    assert len(days) == len(PUBLISHED_DAYS_AGO)  # one day per report, shared by its translation
    today = timezone.localdate()
    assert all(page.first_published_at.date() < today for page in reports)
    assert max(today - day for day in days) > timedelta(days=365)
    assert all(page.last_published_at == page.first_published_at for page in reports)


def test_newest_first_lists_the_latest_demo_report_first_and_the_report_says_when(client, demo):
    html = client.get("/en/experiences/?sort=newest").content.decode()
    titles = re.findall(r"<h[23][^>]*>\s*<a[^>]*>([^<]+)</a>", html)
    assert titles and titles[0].startswith("Chefchaouen"), titles[:3]
    report = ExperiencePage.objects.get(external_id="curitiba-recycling-for-food", locale__language_code="en")
    page = client.get(report.url).content.decode()
    published = (timezone.localdate() - timedelta(days=PUBLISHED_DAYS_AGO["curitiba-recycling-for-food"])).isoformat()
    assert f'"datePublished": "{published}' in page


def test_loading_the_demo_again_keeps_every_report_s_publication_day(demo):
    before = dict(ExperiencePage.objects.values_list("pk", "first_published_at"))
    load_demo()
    assert dict(ExperiencePage.objects.values_list("pk", "first_published_at")) == before
    assert date_demo_reports(since=timezone.now()) == 0


def test_load_demo_tells_the_contributor_to_sign_in_with_the_e_mail_the_site_asks_for(demo, capsys):
    from django.core.management import call_command

    call_command("load_demo")
    line = next(line for line in capsys.readouterr().out.splitlines() if line.strip().startswith("contributor"))
    assert "e-mail 'contributor@cooperation-hub.example'" in line
    assert "user 'contributor'" not in line  # the site's sign-in field is an e-mail field
    assert 'type="email" name="login"' in Client().get("/en/accounts/login/").content.decode()


def test_a_report_shows_when_it_was_published_in_the_page_language(client, demo):
    from django.utils import formats, translation

    report = ExperiencePage.objects.get(external_id="curitiba-recycling-for-food", locale__language_code="fr")
    html = client.get(report.url).content.decode()
    day = report.first_published_at.astimezone(timezone.get_current_timezone())
    with translation.override("fr"):
        shown = formats.date_format(day, "DATE_FORMAT")
    assert "<dt>Publication</dt>" in html
    assert f'<time datetime="{day:%Y-%m-%d}">{shown}</time>' in html
