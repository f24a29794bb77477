"""The cooperation officer's admin journey: create a report without visiting every tab, in French or English."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.html import escape

from experiences.models import City, ExperienceIndexPage, ExperiencePage
from experiences.publishing import OFFICERS, REVIEWERS

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """What a browser would post for the page editor's form: every named field with its current value."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.in_form, self.data = form_id, False, []
        self._textarea = self._select = None
        self._select_options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image"):
                self.data.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select, self._select_options = name, []
        elif tag == "option" and self._select:
            self._select_options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.data.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._select_options if selected] or self._select_options[:1]
            self.data.extend((self._select, v) for v, _ in chosen)
            self._select = None
        elif tag == "form" and self.in_form:
            self.in_form = False


def browser_post_data(html: str, **values) -> dict[str, list[str]]:
    parser = _FormFields("page-edit-form")
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    # What the StreamField's script adds to the form in a browser: an empty story.
    data.setdefault("body-count", ["0"])
    for name, value in values.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def user_in(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-not-used-1234")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def officer(client):
    user = user_in(OFFICERS, "officer-admin")
    client.force_login(user)
    return user


def add_url(language: str = "fr") -> str:
    index = ExperienceIndexPage.objects.get(locale__language_code=language)
    return f"/admin/pages/add/experiences/experiencepage/{index.pk}/"


def create_through_the_admin(client, action: dict, **values) -> tuple:
    url = add_url()
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert form.status_code == 200
    city = City.objects.get(name="Béthune")
    data = browser_post_data(
        form.content.decode(),
        title="Des jardins partagés sur les toits",
        summary="Trois toits cultivés.",
        city=str(city.pk),
        **values,
    )
    data.update(action)
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr"), data


def form_errors(response) -> str:
    form = response.context and response.context.get("form")
    if form is None:
        return response.content.decode()[:2000]
    return f"{form.errors!r} {[fs.errors for fs in form.formsets.values()]!r}"


def test_a_report_saved_as_draft_without_an_external_id_gets_one_from_its_title(client, officer):
    response, data = create_through_the_admin(client, {}, themes=["1"], actors=["public", "citizens"])
    # On the Settings and Promote tabs, left as they were (no script filled the slug in).
    assert data["external_id"] == [""] and data["slug"] == [""]
    assert response.status_code == 302, form_errors(response)
    page = ExperiencePage.objects.get(title="Des jardins partagés sur les toits")
    assert page.external_id == "des-jardins-partages-sur-les-toits"
    assert page.slug == "des-jardins-partages-sur-les-toits"  # ASCII addresses (WAGTAIL_ALLOW_UNICODE_SLUGS)
    assert not page.live and page.owner == officer
    assert page.actors == ["public", "citizens"]
    # Editable later, and kept when the title changes.
    edit = client.get(f"/admin/pages/{page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fr")
    assert 'value="des-jardins-partages-sur-les-toits"' in edit.content.decode()


def test_a_second_report_with_the_same_title_gets_a_distinct_id(client, officer):
    create_through_the_admin(client, {})
    response, _ = create_through_the_admin(client, {})
    assert response.status_code == 302, form_errors(response)
    ids = sorted(ExperiencePage.objects.filter(title__startswith="Des jardins").values_list("external_id", flat=True))
    assert ids == ["des-jardins-partages-sur-les-toits", "des-jardins-partages-sur-les-toits-2"]


def test_an_officer_submits_a_new_report_for_review_in_one_go(client, officer):
    response, _ = create_through_the_admin(client, {"action-submit": "Soumettre"})
    assert response.status_code == 302, form_errors(response)
    page = ExperiencePage.objects.get(title="Des jardins partagés sur les toits")
    assert page.external_id and not page.live and page.workflow_in_progress


def test_autosave_of_a_new_report_is_not_refused_for_a_field_on_another_tab(client, officer):
    page = ExperiencePage.objects.filter(locale__language_code="fr").first()
    page.external_id = ""  # as if an officer cleared it on the Settings tab
    edit = client.get(f"/admin/pages/{page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fr")
    data = browser_post_data(edit.content.decode(), external_id="")
    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        data,
        HTTP_ACCEPT_LANGUAGE="fr",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().external_id  # derived again, never blank


def test_a_hand_edited_external_id_taken_by_another_report_is_refused(client, officer):
    taken = ExperiencePage.objects.get(external_id="bethune-smart-city", locale__language_code="fr")
    response, _ = create_through_the_admin(client, {}, external_id=taken.external_id)
    assert response.status_code == 200
    assert "Un autre retour d’expérience utilise déjà cet identifiant externe." in response.content.decode()
    assert not ExperiencePage.objects.filter(title="Des jardins partagés sur les toits").exists()


def test_no_required_field_hides_on_a_tab_other_than_content():
    """Every field an officer must fill is on the first tab, for every page type officers create."""
    from wagtail.models import get_page_models

    for model in get_page_models():
        if model._meta.app_label not in ("experiences", "contributions", "cooperation_hub"):
            continue
        handler = model.get_edit_handler()
        form_class = handler.get_form_class()
        tabs = handler.children
        for tab in tabs[1:]:
            for name in tab.get_form_options().get("fields", []):
                field = form_class.base_fields.get(name)
                if field is not None and name != "slug":  # Wagtail fills the slug from the title
                    assert not field.required, f"{model.__name__}.{name} is required on the {tab.heading} tab"


def test_the_french_editor_shows_translated_statuses_and_sdg_checkboxes(client, officer):
    page = ExperiencePage.objects.filter(locale__language_code="fr").first()
    html = client.get(f"/admin/pages/{page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for label in ("Prévu", "En cours", "Réalisé"):
        assert label in html
    assert 'type="checkbox" name="sdgs"' in html
    assert "11 – Villes et communautés durables" in html
    assert 'type="checkbox" name="themes"' in html
    assert 'type="checkbox" name="actors"' in html and "Acteurs publics" in html
    assert "Ajouter une ville partenaire" in html and "Villes partenaires" in html and "un(e)" not in html
    assert "Relecture avant publication" in html  # the workflow's name in the submit button


def test_the_english_editor_shows_english_labels(client, officer):
    page = ExperiencePage.objects.filter(locale__language_code="en").first()
    html = client.get(f"/admin/pages/{page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Planned" in html and "Completed" in html
    assert "11 – Sustainable cities and communities" in html


def test_wagtail_keeps_its_own_status_column_in_french(client, officer):
    index = ExperienceIndexPage.objects.get(locale__language_code="fr")
    html = client.get(f"/admin/pages/{index.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Statut" in html
    assert "État d’avancement" not in html and "État d'avancement" not in html


def test_the_dashboard_shows_the_officers_drafts(client, officer):
    create_through_the_admin(client, {})
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Vos brouillons" in html
    assert "Des jardins partagés sur les toits" in html
    # What others published is said to be the network's, not listed under "your" reports.
    assert "Publiés récemment sur le réseau" in html


def test_the_dashboard_shows_a_reviewer_what_awaits_review(client, officer):
    create_through_the_admin(client, {"action-submit": "Soumettre"})
    reviewer = user_in(REVIEWERS, "reviewer-admin")
    client.force_login(reviewer)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reports awaiting your review" in html
    section = html.split("Reports awaiting your review", 1)[1].split("</section>", 1)[0]
    assert "Des jardins partagés sur les toits" in section


def test_the_dashboard_names_published_reports_by_their_published_title(client, officer):
    """Walked: an edit awaiting review already showed its new title under "Recently published"."""
    page = ExperiencePage.objects.filter(locale__language_code="en", live=True).order_by("-last_published_at").first()
    published = page.title
    page.title = "A draft title not yet reviewed"
    page.save_revision(user=officer)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = html.split("Recently published across the network", 1)[1].split("</section>", 1)[0]
    assert escape(published) in section and "A draft title not yet reviewed" not in section


def test_the_dashboard_counts_comparable_projects_of_the_officers_published_reports(client, officer):
    page = ExperiencePage.objects.filter(locale__language_code="fr", live=True).first()
    ExperiencePage.objects.filter(pk=page.pk).update(owner=officer)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    section = html.split("Vos retours d’expérience publiés et leurs projets comparables", 1)[1].split("</section>", 1)[
        0
    ]
    assert page.title in section and "projet" in section and "comparable" in section


def test_a_title_another_report_has_gets_a_free_slug_instead_of_an_error_on_the_promote_tab(client, officer):
    # The editor's script copies the title into the slug as the officer types it.
    create_through_the_admin(client, {}, slug="des-jardins-partages-sur-les-toits")
    response, _ = create_through_the_admin(client, {}, slug="des-jardins-partages-sur-les-toits")
    assert response.status_code == 302, form_errors(response)
    slugs = sorted(ExperiencePage.objects.filter(title__startswith="Des jardins").values_list("slug", flat=True))
    assert slugs == ["des-jardins-partages-sur-les-toits", "des-jardins-partages-sur-les-toits-2"]


def test_the_fields_a_draft_cannot_be_stored_without_are_marked_in_every_inline_row(client, officer):
    """A partner city to choose, a key figure's value, a picture, a document: autosave waits
    while one of them is blank in a row (autosave-gate.js) instead of being refused with a 400."""
    page = ExperiencePage.objects.filter(locale__language_code="fr", indicators__isnull=False).first()
    html = client.get(f"/admin/pages/{page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    marked = set(re.findall(r'name="([\w-]+)"[^>]*data-autosave-needs|data-autosave-needs[^>]*name="([\w-]+)"', html))
    names = {a or b for a, b in marked}
    # The rows the report has, and the template a new row is made from.
    assert {"indicators-0-value", "indicators-__prefix__-value", "partner_cities-__prefix__-city"} <= names
    assert "gallery_images-__prefix__-image" in names and "attachments-__prefix__-document" in names
    # A figure's name may stay blank in a draft (Wagtail defers it): not marked.
    assert "indicators-0-name" not in names and "indicators-__prefix__-name" not in names
