"""Per-city edit rights: officers edit the partnerships naming a city they answer for (a verified
city contact, through the exchanges hook), administrators everything; making a partnership public
needs both sides or an administrator."""

import datetime

import pytest
from django.contrib.auth.models import Group

from exchanges.models import CityContact
from experiences.publishing import OFFICERS
from partnerships import changes, rules
from partnerships.models import Partnership
from partnerships.services import start_partnership

pytestmark = pytest.mark.django_db


def officer(django_user_model, username, city=None, verified=True):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "x")
    user.groups.add(Group.objects.get(name=OFFICERS))
    if city is not None:
        CityContact.objects.create(city=city, member=user, verified=verified)
    return user


@pytest.fixture
def setup(cities, django_user_model):
    partnership = start_partnership(
        cities=[cities["Lorient"], cities["Da Nang"]],
        kind="technical-cooperation",
        start_date=datetime.date(2025, 1, 1),
        title="Rules pair",
    )
    return {
        "partnership": partnership,
        "lorient": officer(django_user_model, "r-lorient", cities["Lorient"]),
        "danang": officer(django_user_model, "r-danang", cities["Da Nang"]),
        "elsewhere": officer(django_user_model, "r-elsewhere", cities["Saint-Louis"]),
        "unverified": officer(django_user_model, "r-unverified", cities["Lorient"], verified=False),
        "admin": django_user_model.objects.create_superuser("r-admin", "r-admin@example.org", "x"),
    }


def test_officers_edit_only_partnerships_naming_their_city(setup):
    partnership = setup["partnership"]
    assert rules.can_edit(setup["lorient"], partnership)
    assert rules.can_edit(setup["danang"], partnership)
    assert not rules.can_edit(setup["elsewhere"], partnership)
    assert not rules.can_edit(setup["unverified"], partnership)
    assert rules.can_edit(setup["admin"], partnership)
    assert partnership not in rules.editable_by(setup["elsewhere"])
    assert partnership in rules.editable_by(setup["lorient"])


def test_publishing_needs_both_sides_or_an_administrator(setup):
    partnership = setup["partnership"]
    assert not rules.can_publish_alone(setup["lorient"], partnership)
    assert rules.can_publish_alone(setup["admin"], partnership)

    partnership.is_public = True
    partnership.save()
    assert changes.hold_publication(partnership, False, setup["lorient"]) is True
    stored = Partnership.objects.get(pk=partnership.pk)
    assert stored.is_public is False and stored.pending_change["is_public"] is True
    assert not Partnership.objects.visible_to_public().filter(pk=partnership.pk).exists()
    assert not changes.can_confirm(setup["lorient"], stored)
    assert not changes.can_confirm(setup["elsewhere"], stored)
    assert changes.confirm(stored, setup["danang"])
    assert Partnership.objects.visible_to_public().filter(pk=partnership.pk).exists()


def test_an_administrator_publishes_alone(setup):
    partnership = setup["partnership"]
    partnership.is_public = True
    partnership.save()
    assert changes.hold_publication(partnership, False, setup["admin"]) is False
    assert Partnership.objects.get(pk=partnership.pk).is_public is True


def test_the_admin_enforces_the_rule(setup, client):
    partnership = setup["partnership"]
    edit_url = f"/admin/snippets/partnerships/partnership/edit/{partnership.pk}/"
    client.force_login(setup["elsewhere"])
    assert client.get(edit_url).status_code in (302, 403)
    assert client.post(edit_url, {"title_en": "Hijacked"}).status_code in (302, 403)
    assert Partnership.objects.get(pk=partnership.pk).title_en == "Rules pair"
    client.force_login(setup["lorient"])
    assert client.get(edit_url).status_code == 200
    assert "Rules pair" in client.get("/admin/snippets/partnerships/partnership/").content.decode()
    client.force_login(setup["admin"])
    assert client.get(edit_url).status_code == 200


def test_publishing_from_the_admin_waits_for_the_other_side(setup, client):
    partnership = setup["partnership"]
    edit_url = f"/admin/snippets/partnerships/partnership/edit/{partnership.pk}/"
    client.force_login(setup["lorient"])
    page = client.get(edit_url)
    form = page.context["form"]
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = value
    for _formset_name, formset in form.formsets.items():
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for index, sub in enumerate(formset.forms):
            for name in sub.fields:
                value = sub[name].value()
                if value is not None:
                    data[f"{formset.prefix}-{index}-{name}"] = value
    data["is_public"] = "on"
    data = {k: v for k, v in data.items() if v not in (False,)}
    response = client.post(edit_url, data)
    assert response.status_code == 302, getattr(response, "context", {}) and response.context["form"].errors
    stored = Partnership.objects.get(pk=partnership.pk)
    assert stored.is_public is False and stored.pending_change.get("is_public") is True
    client.force_login(setup["danang"])
    pending = f"/admin/partnerships/{partnership.pk}/pending/"
    assert pending in client.get("/admin/").content.decode()
    assert client.post(pending, {"action": "confirm"}).status_code == 302
    assert Partnership.objects.get(pk=partnership.pk).is_public is True


def test_officers_and_reviewers_are_granted_the_edit_permission_on_a_fresh_database(db):
    """The post_migrate receiver ran before auth created the permissions: the groups got none."""
    from experiences.publishing import REVIEWERS

    for name in (OFFICERS, REVIEWERS):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"add_partnership", "change_partnership", "view_partnership"} <= codenames


ADD_URL = "/admin/snippets/partnerships/partnership/add/"
LIST_URL = "/admin/snippets/partnerships/partnership/"


def _add_form_data(client, title, cities):
    """The admin's add form as a browser posts it: its fields' initial values, two city rows."""
    form = client.get(ADD_URL).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False, [])}
    formset = form.formsets["partner_cities"]
    prefix = formset.prefix
    data.update({f"{prefix}-TOTAL_FORMS": len(cities), f"{prefix}-INITIAL_FORMS": 0})
    data.update({f"{prefix}-MIN_NUM_FORMS": 2, f"{prefix}-MAX_NUM_FORMS": 1000})
    for index, city in enumerate(cities):
        data.update({f"{prefix}-{index}-city": city.pk, f"{prefix}-{index}-role": "partner"})
        data[f"{prefix}-{index}-ORDER"] = index + 1
    data["title_en"] = title
    return data


def test_only_a_contact_of_one_of_its_cities_or_an_administrator_records_a_partnership(setup, cities, client):
    """Walked as an officer of Saint-Louis: the admin recorded a Lorient–Da Nang partnership
    that neither city had asked for, and the officer could not even edit it afterwards."""
    pair = [cities["Lorient"], cities["Da Nang"]]
    _admin_language(setup["elsewhere"], "en")
    client.force_login(setup["elsewhere"])
    response = client.post(ADD_URL, _add_form_data(client, "Not theirs", pair))
    assert response.status_code == 200
    assert "a partnership of a city you answer for" in response.content.decode()
    assert not Partnership.objects.filter(title_en="Not theirs").exists()

    client.force_login(setup["unverified"])  # a contact link nobody verified does not count
    client.post(ADD_URL, _add_form_data(client, "Not vouched", pair))
    assert not Partnership.objects.filter(title_en="Not vouched").exists()

    client.force_login(setup["lorient"])
    response = client.post(ADD_URL, _add_form_data(client, "Lorient asks", pair))
    assert response.status_code == 302
    assert Partnership.objects.filter(title_en="Lorient asks").exists()

    client.force_login(setup["admin"])
    assert client.post(ADD_URL, _add_form_data(client, "By the administrator", pair)).status_code == 302
    assert Partnership.objects.filter(title_en="By the administrator").exists()


def _admin_language(user, language):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def test_in_french_the_refusal_is_in_french(setup, cities, client):
    _admin_language(setup["elsewhere"], "fr")
    client.force_login(setup["elsewhere"])
    response = client.post(ADD_URL, _add_form_data(client, "Pas le leur", [cities["Lorient"], cities["Da Nang"]]))
    assert "un partenariat d’une ville dont vous répondez" in response.content.decode()


def test_the_admin_list_shows_officers_the_partnerships_of_their_cities_only(setup, client):
    client.force_login(setup["elsewhere"])
    assert "Rules pair" not in client.get(LIST_URL).content.decode()
    client.force_login(setup["lorient"])
    assert "Rules pair" in client.get(LIST_URL).content.decode()
    client.force_login(setup["admin"])
    assert "Rules pair" in client.get(LIST_URL).content.decode()


def _fallback_partnerships(cities, django_user_model):
    """Partnerships whose cities nobody is registered for: their reports' owners answer for them."""
    from experiences.models import ExperiencePage

    report = ExperiencePage.objects.exclude(city__exchange_contacts__verified=True).select_related("city").first()
    report.owner = django_user_model.objects.get(username="officer")  # the demo's officer
    report.save()
    others = [c for c in cities.values() if c.pk != report.city_id and not c.exchange_contacts.exists()]
    linked = start_partnership(cities=[report.city, others[0]], kind="documents", title="Vouched by a report")
    linked.reports.set([report])
    linked.save()
    unlinked = start_partnership(cities=[report.city, others[1]], kind="documents", title="Newest report")
    return [linked, unlinked]


def test_the_admin_list_and_the_edit_rule_agree_for_every_demo_role(setup, cities, django_user_model):
    """editable_by (one SQL filter) says what can_edit says (per partnership, in Python) for every
    member of the demo (administrator, officer, reviewer, moderator, contributor, city contacts)."""
    _fallback_partnerships(cities, django_user_model)
    partnerships = list(Partnership.objects.all())
    editors_seen = 0
    for user in django_user_model.objects.all():
        expected = {p.pk for p in partnerships if rules.can_edit(user, p)}
        assert set(rules.editable_by(user).values_list("pk", flat=True)) == expected, user.username
        if expected and not user.is_superuser:
            editors_seen += 1
    assert editors_seen >= 3  # the contacts of Lorient and Da Nang, and a report owner at least


def test_a_report_owner_edits_the_partnerships_of_a_city_nobody_answers_for(cities, django_user_model):
    linked, unlinked = _fallback_partnerships(cities, django_user_model)
    owner = linked.reports.get().owner
    owner.groups.add(Group.objects.get(name=OFFICERS))
    editable = set(rules.editable_by(owner))
    assert linked in editable and rules.can_edit(owner, linked)
    # Registering a contact for the city takes the city's voice away from its reports' owner.
    city = linked.reports.get().city
    CityContact.objects.create(city=city, member=officer(django_user_model, "r-new-contact"), verified=True)
    assert linked not in set(rules.editable_by(owner)) and not rules.can_edit(owner, linked)
    assert unlinked not in set(rules.editable_by(owner))


def test_the_admin_list_costs_the_same_queries_however_many_partnerships(setup, cities, client):
    """The list asked can_edit of every partnership in turn: a few queries per partnership."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _admin_language(setup["lorient"], "en")
    client.force_login(setup["lorient"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST_URL)
        assert response.status_code == 200
        return len(queries)

    # Measured after a first write as well: a new partnership invalidates caches of the site
    # (menus, page lists) whose refilling is not what this test is about.
    start_partnership(cities=[cities["Lorient"], cities["Lille"]], kind="documents", title="First more")
    count()
    before = count()
    for i in range(4):
        start_partnership(cities=[cities["Lorient"], cities["Curitiba"]], kind="documents", title=f"More {i}")
        start_partnership(cities=[cities["Lille"], cities["Curitiba"]], kind="documents", title=f"Not Lorient {i}")
    count()
    after = count()
    page = client.get(LIST_URL).content.decode()
    assert "More 3" in page and "Not Lorient" not in page
    assert after == before
