"""Our catalogues never relabel Wagtail's own French admin (issue #15): a msgid we
share with Wagtail ("Search", "Next", "Sort by", "Newest", "Sign in", "created"…)
is translated in a pgettext context of ours, so the admin keeps Wagtail's words
while the public site keeps ours."""

from pathlib import Path

import polib
import pytest
import wagtail
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
OURS = sorted(ROOT.glob("*/locale/fr/LC_MESSAGES/django.po")) + [ROOT / "locale/fr/LC_MESSAGES/django.po"]
WAGTAIL = sorted(Path(wagtail.__file__).parent.glob("**/locale/fr/LC_MESSAGES/django.po"))
# Same words, only our typography (non-breaking spaces, apostrophes, capitals): not a relabelling.
SAME_MEANING = {"Breadcrumb", "tags", "document", "Delete user", "Bulleted list"}
# Our wording on purpose: Wagtail's workflow e-mails greeted officers with a familiar "Salut".
OUR_WORDING = {
    "Hello %(username)s,",
    # "Nouvel(le) : Partenariat": "Nouveau", like the page editor's "Nouveau : Retour d’expérience".
    "New: %(model_name)s",
    # Wagtail's "Déverrouillé(e)", "Ce(tte) page…", "Référencé(e) 0 fois", "régions" (locale/fr, issue #15).
    "Unlocked",
    "Locked",
    "Anyone can edit this %(model_name)s",
    "Anyone can edit this %(model_name)s – lock it to prevent others from editing",
    "Referenced %(count)s time",
    "Used %(usage_count)s time",
    "Available in %(translations_total)s locales",
    "Switch locales",
    # The page an officer submitted: "Ce(tte) page est actuellement en attente de modération…".
    "Locked by workflow",
    "This %(model_name)s is currently awaiting moderation.",
    "Only reviewers for this task can edit the %(model_name)s.",
    "Only reviewers can edit and approve the %(model_name)s",
}


def _wagtail_french() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in WAGTAIL:
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.msgctxt and not entry.obsolete:
                found.setdefault(entry.msgid, set()).add(entry.msgstr)
    return found


def test_no_catalogue_of_ours_gives_a_wagtail_msgid_another_french_meaning():
    wagtail_fr = _wagtail_french()
    clashes = []
    for path in OURS:
        for entry in polib.pofile(str(path)):
            if entry.msgctxt or entry.obsolete or not entry.msgstr or entry.msgid in SAME_MEANING | OUR_WORDING:
                continue
            if entry.msgid in wagtail_fr and entry.msgstr not in wagtail_fr[entry.msgid]:
                clashes.append((path.relative_to(ROOT).parts[0], entry.msgid, entry.msgstr))
    assert clashes == []


@pytest.mark.parametrize(
    ("msgid", "wagtails"),
    [
        ("Search", "Rechercher"),
        ("Next", "Suivant"),
        ("Previous", "Précédent"),
        ("Sort by", "Ordonner par"),
        ("Newest", "Plus récent"),
        ("Sign in", "S'identifier"),
        ("created", "créé"),
        ("Reports", "Rapports"),
        ("slug", "slug"),
    ],
)
def test_the_french_admin_reads_wagtails_own_words(msgid, wagtails):
    with translation.override("fr"):
        assert translation.gettext(msgid) == wagtails


@pytest.mark.django_db
def test_the_public_site_keeps_its_own_words(client, demo):
    html = client.get("/fr/experiences/").content.decode()
    assert "Trier par" in html and "Plus récents" in html and "Filtrer" in html
    assert ">Rechercher</a>" in html and ">Se connecter</a>" in html
    consultation = client.get("/fr/search/?q=climat").content.decode()
    assert ">Rechercher</button>" in consultation


@pytest.mark.django_db
def test_the_french_admin_login_labels_the_password_in_french(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'id="id_password-label"' in html
    label = html.split('id="id_password-label"', 1)[1].split("</label>", 1)[0]
    assert "Mot de passe" in label and "Password" not in label
