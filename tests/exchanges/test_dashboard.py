"""The network dashboard: its figures on a small known set (exchanges/stats.py), the
same figures in the admin page's tables and in its CSV, who may see it, and in French."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.utils.html import escape

from exchanges import stats
from exchanges.models import ExchangeRequest
from exchanges.wagtail_hooks import register_dashboard_menu_item
from experiences.models import City, Theme

from .conftest import make_member

pytestmark = pytest.mark.django_db

T0 = datetime(2031, 1, 10, 9, 0, tzinfo=UTC)
State = ExchangeRequest.State


def _request(requester, target, sent_at, state=State.SENT, answered_after=None):
    return ExchangeRequest.objects.create(
        requester=requester,
        target_city=target,
        organisation="Ville",
        role="Chargée de coopération",
        kind=ExchangeRequest.Kind.DOCUMENTS,
        message="Bonjour",
        state=state,
        created_at=sent_at,
        awaiting_since=sent_at,
        answered_at=sent_at + answered_after if answered_after is not None else None,
    )


def _partnership(cities, start, themes):
    from partnerships.models import Partnership, PartnershipCity

    partnership = Partnership.objects.create(title_en="P", start_date=start)
    for city in cities:
        PartnershipCity.objects.create(partnership=partnership, city=city)
    partnership.themes.set(themes)
    partnership.save()  # a ParentalManyToManyField is written on save
    return partnership


@pytest.fixture
def empty():
    """No request and no partnership (the test database holds the demo's)."""
    from partnerships.models import Partnership

    ExchangeRequest.objects.all().delete()
    Partnership.objects.all().delete()


@pytest.fixture
def known_set(empty):
    """January 2031: 4 requests (accepted after 1 day, declined after 3, a message after 2
    then still open, withdrawn unanswered); March 2031: 1 accepted after 5 days (February empty).
    Partnerships: Lyon–Dakar (north-south, Jan, 2 themes), Dakar–Accra (south-south, March, 1 theme)."""
    lyon = City.objects.create(name="Lyon-D", country="FR")
    dakar = City.objects.create(name="Dakar-D", country="SN")
    accra = City.objects.create(name="Accra-D", country="GH")
    requester = make_member("requester")
    day = timedelta(days=1)
    _request(requester, dakar, T0, State.ACCEPTED, 1 * day)
    _request(requester, dakar, T0 + day, State.DECLINED, 3 * day)
    _request(requester, lyon, T0 + 2 * day, State.SENT, 2 * day)
    _request(requester, lyon, T0 + 3 * day, State.WITHDRAWN)
    _request(requester, accra, T0 + 60 * day, State.ACCEPTED, 5 * day)
    themes = list(Theme.objects.order_by("id")[:2])
    assert len(themes) == 2
    _partnership([lyon, dakar], date(2031, 1, 20), themes)
    _partnership([dakar, accra], date(2031, 3, 2), themes[:1])
    return themes


def test_the_figures_of_a_known_set(known_set):
    figures = stats.network_figures()
    assert (figures.sent, figures.answered, figures.accepted, figures.declined) == (5, 4, 2, 1)
    # Answer times 1, 3, 2 and 5 days: the median is 2.5 days; withdrawn unanswered is no answer.
    assert figures.median_answer_time == timedelta(days=2, hours=12)
    # 2 accepted among 3 decided (the open and the withdrawn ones are not decided).
    assert figures.acceptance_rate == pytest.approx(2 / 3)
    assert figures.months == [date(2031, 1, 1), date(2031, 2, 1), date(2031, 3, 1)]
    january, february, march = figures.requests
    assert (january.sent, january.answered, january.median_answer_time) == (4, 3, timedelta(days=2))
    assert (february.sent, february.median_answer_time, february.acceptance_rate) == (0, None, None)
    assert (march.sent, march.acceptance_rate) == (1, 1.0)
    pairs = [value for value, _label in figures.region_pairs]
    assert pairs == ["north-south", "south-south", "north-north"]
    assert figures.partnerships_by_region_pair == [
        (date(2031, 1, 1), [1, 0, 0]),
        (date(2031, 2, 1), [0, 0, 0]),
        (date(2031, 3, 1), [0, 1, 0]),
    ]
    assert figures.themes == known_set
    assert figures.partnerships_by_theme[0] == (date(2031, 1, 1), [1, 1])
    assert figures.theme_totals() == [2, 1]


def test_no_request_no_figure(empty):
    figures = stats.network_figures()
    assert figures.sent == 0 and figures.median_answer_time is None and figures.acceptance_rate is None
    assert figures.months == [] and stats.csv_rows(figures)[-1][1:7] == ["0", "0", "0", "0", "", ""]


def test_the_number_of_queries_does_not_grow_with_the_requests(known_set, django_assert_num_queries):
    with django_assert_num_queries(4):
        stats.network_figures()
    requester = make_member("more")
    dakar = City.objects.get(name="Dakar-D")
    for i in range(20):
        _request(requester, dakar, T0 + timedelta(days=i), State.ACCEPTED, timedelta(hours=i + 1))
    lyon = City.objects.get(name="Lyon-D")
    for _ in range(5):
        _partnership([lyon, dakar], date(2031, 2, 1), known_set)
    with django_assert_num_queries(4):
        stats.network_figures()


def _admin_language(user, language: str) -> None:
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.fixture
def admin_client(client, admin_user):
    _admin_language(admin_user, "en")
    client.force_login(admin_user)
    return client


def test_the_page_shows_the_figures_in_tables(known_set, admin_client):
    response = admin_client.get("/admin/network-dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<caption>") == 3 and html.count('<svg role="img"') == 6
    assert "2.5 days" in html and "67 %" in html
    assert "North–South" in html and escape(known_set[0].name_en) in html
    assert "/admin/network-dashboard/figures.csv" in html


def test_the_csv_has_the_same_figures(known_set, admin_client):
    response = admin_client.get("/admin/network-dashboard/figures.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "Month",
        "Requests sent",
        "Requests answered",
        "Accepted",
        "Declined",
        "Median answer time (days)",
        "Acceptance rate (%)",
    ]
    assert rows[0][7:10] == ["Partnerships North–South", "Partnerships South–South", "Partnerships North–North"]
    assert rows[1] == ["2031-01", "4", "3", "1", "1", "2.0", "50.0", "1", "0", "0", "1", "1"]
    assert rows[2][:7] == ["2031-02", "0", "0", "0", "0", "", ""]
    assert rows[-1] == ["Total", "5", "4", "2", "1", "2.5", "66.7", "1", "1", "0", "2", "1"]


def test_members_and_officers_are_refused_and_moderators_let_in(client):
    from django.contrib.auth.models import Permission

    from contributions.moderators import ensure_moderators_group

    assert client.get("/admin/network-dashboard/").status_code == 302  # to the sign-in page
    officer = make_member("officer")
    officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(officer)
    for path in ("/admin/network-dashboard/", "/admin/network-dashboard/figures.csv"):
        response = client.get(path)  # Wagtail turns the refusal into a redirect to the admin's home
        assert response.status_code == 302 and response.url == "/admin/"
    menu_item = register_dashboard_menu_item()
    assert not menu_item.is_shown(SimpleNamespace(user=officer))

    officer.groups.add(ensure_moderators_group())
    assert menu_item.is_shown(SimpleNamespace(user=officer))
    assert client.get("/admin/network-dashboard/").status_code == 200
    assert client.get("/admin/network-dashboard/figures.csv").status_code == 200
    assert Group.objects.filter(name__icontains="moderat").exists()


def test_in_french(known_set, client, admin_user):
    _admin_language(admin_user, "fr")
    client.force_login(admin_user)
    html = client.get("/admin/network-dashboard/").content.decode()
    assert "Tableau de bord du réseau" in html
    assert "Délai médian de réponse" in html and "2,5\u00a0jours" in html
    assert "Nord–Sud" in html and "Taux d’acceptation (%)" in html and "Acceptance" not in html
    rows = list(csv.reader(io.StringIO(client.get("/admin/network-dashboard/figures.csv").content.decode("utf-8-sig"))))
    assert rows[0][1] == "Demandes envoyées" and rows[-1][0] == "Total"


def test_months_are_named_in_the_admin_language(known_set, client, admin_user):
    """Walked in the French admin: every month read "Jan 2031", "Mar 2031" (the English-looking
    abbreviation), in the charts and the tables alike."""
    _admin_language(admin_user, "fr")
    client.force_login(admin_user)
    html = client.get("/admin/network-dashboard/").content.decode()
    assert "Jan 2031" not in html and "Mar 2031" not in html
    charts = html.split('<svg role="img"', 1)[1].split("<table", 1)[0]
    assert "janvier 2031" in charts and "mars 2031" in charts  # the charts' axis labels and bar titles
    tables = html.split("<table", 1)[1]
    assert '<time datetime="2031-01">janvier 2031</time>' in tables
    assert '<time datetime="2031-02">février 2031</time>' in tables
    # The CSV: its header in French, its months as ISO months a spreadsheet sorts.
    rows = list(csv.reader(io.StringIO(client.get("/admin/network-dashboard/figures.csv").content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mois", "Demandes envoyées", "Demandes ayant reçu une réponse"]
    assert rows[0][7] == "Partenariats Nord–Sud" and rows[1][0] == "2031-01"

    _admin_language(admin_user, "en")
    html = client.get("/admin/network-dashboard/").content.decode()
    assert '<time datetime="2031-01">January 2031</time>' in html and "janvier" not in html
