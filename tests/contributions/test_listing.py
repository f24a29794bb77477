"""The list on the consultation page: sorts, filters, search, pagination,
permalinks, counts without N+1, and what is shown of an author."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contributions.models import Reply, Support

from .conftest import make_contribution, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(consultation):
    now = timezone.now()
    alice = make_member("alice", display_name="Alice Diallo", city="Dakar", organisation="Ville de Dakar")
    people = [make_member(f"p{i}") for i in range(3)]
    section = consultation.sections.get(slug="alpha")
    old = make_contribution(
        consultation,
        alice,
        title="Ancienne idée",
        created_at=now - timedelta(hours=5),
        tags=["énergie"],
        section=section,
    )
    liked = make_contribution(
        consultation, alice, title="Idée soutenue", created_at=now - timedelta(hours=3), tags=["écoles"]
    )
    talked = make_contribution(
        consultation,
        alice,
        title="Idée discutée",
        created_at=now - timedelta(hours=1),
        body="<p>Parlons de jumelage numérique.</p>",
    )
    for p in people:
        Support.objects.create(contribution=liked, user=p)
    for p in people[:2]:
        Reply.objects.create(contribution=talked, author=p, body="<p>oui</p>")
    return {"old": old, "liked": liked, "talked": talked, "alice": alice}


def _titles(client, url):
    html = client.get(url).content.decode()
    order = [t for t in ("Ancienne idée", "Idée soutenue", "Idée discutée") if t in html]
    return sorted(order, key=html.index)


def test_sorts(client, consultation, world):
    assert _titles(client, consultation.url) == ["Idée discutée", "Idée soutenue", "Ancienne idée"]
    assert _titles(client, consultation.url + "?sort=supported")[0] == "Idée soutenue"
    assert _titles(client, consultation.url + "?sort=discussed")[0] == "Idée discutée"
    assert _titles(client, consultation.url + "?sort=nonsense") == ["Idée discutée", "Idée soutenue", "Ancienne idée"]


def test_filters_by_tag_section_and_search(client, consultation, world):
    tag = world["liked"].tags.get().slug
    assert _titles(client, f"{consultation.url}?tag={tag}") == ["Idée soutenue"]
    assert _titles(client, f"{consultation.url}?section=alpha") == ["Ancienne idée"]
    assert _titles(client, f"{consultation.url}?q=jumelage") == ["Idée discutée"]
    assert _titles(client, f"{consultation.url}?q=introuvable") == []


def test_pagination_keeps_the_filters(client, consultation, member):
    for i in range(12):
        make_contribution(consultation, member, title=f"Numéro {i:02d}", tags=["lot"])
    first = client.get(consultation.url + "?tag=lot").content.decode()
    assert "Numéro 11" in first and "Numéro 01" not in first
    assert "tag=lot&amp;page=2" in first
    second = client.get(consultation.url + "?tag=lot&page=2").content.decode()
    assert "Numéro 01" in second and "Numéro 11" not in second
    assert client.get(consultation.url + "?page=999").status_code == 200


def test_each_contribution_has_a_permalink_in_both_languages(client, consultation, consultation_en, world):
    c = world["liked"]
    assert c.url == f"/fr/consultations/{consultation.slug}/contributions/{c.pk}/"
    assert client.get(c.url).status_code == 200
    en = client.get(f"{consultation_en.url}contributions/{c.pk}/")
    assert en.status_code == 200 and "members interested in an exchange" in en.content.decode()
    assert client.get(f"{consultation.url}contributions/999999999/").status_code == 404


def test_the_author_is_shown_by_display_name_city_and_organisation_never_email(client, consultation, world):
    html = client.get(consultation.url).content.decode()
    assert "Alice Diallo" in html and "Dakar" in html and "Ville de Dakar" in html
    assert world["alice"].email not in html
    assert world["alice"].email not in client.get(world["liked"].url).content.decode()


def test_counts_are_shown_and_the_list_costs_a_constant_number_of_queries(
    client, consultation, world, django_assert_max_num_queries, no_page_cache
):
    html = client.get(consultation.url).content.decode()
    assert "3 intéressé·es par un échange" in html and "2 réponses" in html
    with django_assert_max_num_queries(40) as few:
        client.get(consultation.url)
    budget = len(few.captured_queries)  # now: the connection's query log is a bounded deque
    for i in range(8):
        make_contribution(consultation, world["alice"], title=f"Encore {i}", tags=["t1", "t2"])
    # New tags outdate what is cached under the site's generation (the header's links):
    # warm it again, as the first measure was, so that only the list's own cost is compared.
    client.get(consultation.url)
    with django_assert_max_num_queries(budget):
        client.get(consultation.url)


def test_the_consultation_index_lists_open_consultations_first(client, consultation):
    from contributions.models import ConsultationIndexPage

    index = ConsultationIndexPage.objects.get(locale__language_code="fr")
    html = client.get(index.url).content.decode()
    assert html.index(consultation.title) < html.index("La ville intelligente française")
