"""Whatever a contributor (or a script posing as one) sends to the forms of a
consultation, the answer is a page or a clear 4xx, never a 500; markup never
runs in a reader's browser; and a refused post stores nothing, not even half."""

import re

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from contributions.forms import BODY_MAX, REASON_MAX, REPLY_MAX, TITLE_MAX
from contributions.models import Contribution, ContributionRevision, Reply, Report, Support
from tests.hostile import (
    HOSTILE,
    any_hostile_text,
    control_text,
    database_search_only,  # noqa: F401 - fixture
    executable_markup,
    invalid_utf8,
    rtl_or_emoji_text,
    script_text,
    too_long,
)

from .conftest import make_contribution

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search_only")]


def _rows() -> tuple[int, ...]:
    return (
        Contribution.objects.count(),
        ContributionRevision.objects.count(),
        Report.objects.count(),
        Support.objects.count(),
    )


def _post(client, url, data):
    cache.clear()  # the rate limiter would answer 429 after a few examples
    return client.post(url, {"website": "", **data})


def _assert_not_executable(client, url):
    assert executable_markup(client.get(url).content.decode()) == []


@given(title=any_hostile_text, body=st.one_of(script_text, rtl_or_emoji_text, control_text), tags=any_hostile_text)
@HOSTILE
def test_a_hostile_contribution_is_cleaned_or_refused_and_never_runs(client, consultation, member, title, body, tags):
    client.force_login(member)
    before = _rows()
    response = _post(client, consultation.url, {"title": title, "body": body + " " + "mot " * 6, "tags": tags})
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert _rows() == before
        assert 'role="alert"' in response.content.decode()  # the reason, next to the field
        return
    assert _rows()[0] == before[0] + 1
    contribution = Contribution.objects.latest("pk")
    assert "\x00" not in contribution.title + contribution.body
    assert executable_markup(contribution.body) == []
    _assert_not_executable(client, response["Location"])


@given(text=rtl_or_emoji_text)
@HOSTILE
def test_right_to_left_and_emoji_text_comes_back_intact(client, consultation, member, text):
    client.force_login(member)
    response = _post(client, consultation.url, {"title": text, "body": f"{text} — {text} — {text} — {text}"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert text in page


@pytest.mark.parametrize("field, limit", [("title", TITLE_MAX), ("body", BODY_MAX), ("tags", None)])
@given(data=st.data())
@HOSTILE
def test_a_too_long_field_is_refused_with_a_message_and_nothing_is_stored(
    client, consultation, member, field, limit, data
):
    client.force_login(member)
    values = {"title": "Un titre", "body": "Un texte assez long pour être accepté.", "tags": ""}
    # Tags: one tag longer than 50 characters, or more than 8 of them.
    values[field] = data.draw(too_long(limit) if limit else st.sampled_from(["x" * 51, ",".join("abcdefghij")]))
    before = _rows()
    response = _post(client, consultation.url, values)
    assert response.status_code == 400
    assert _rows() == before
    assert re.search(r"au plus|at most|Ensure this value|Assurez-vous|trop long", response.content.decode())


@given(raw=invalid_utf8)
@HOSTILE
def test_invalid_utf8_in_a_form_body_or_a_query_string_is_no_server_error(client, consultation, member, raw):
    client.force_login(member)
    cache.clear()
    before = _rows()
    body = b"title=Titre+" + raw + b"&body=" + b"Un+texte+assez+long+" * 3 + raw + b"&website="
    response = client.post(consultation.url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    assert _rows()[0] == before[0] + (response.status_code == 302)
    query = b"q=" + raw + b"&tag=" + raw + b"&sort=" + raw + b"&page=" + raw
    assert client.get(consultation.url, QUERY_STRING=query.decode("latin-1")).status_code in (200, 400, 404)


@given(value=st.one_of(control_text, script_text, st.sampled_from(["abc", "-1", "[]", "%00", "9" * 30])))
@HOSTILE
def test_the_listing_takes_any_query_parameters_without_a_server_error(client, consultation, value):
    for name in ("q", "tag", "section", "sort", "page"):
        response = client.get(consultation.url, {name: value})
        assert response.status_code in (200, 400, 404), (name, value)
        assert executable_markup(response.content.decode()) == []


def test_a_twenty_megabyte_post_gets_a_clear_413_and_stores_nothing(client, consultation, member):
    client.force_login(member)
    before = _rows()
    response = client.post(consultation.url, {"title": "Gros", "body": "x" * (20 * 1024 * 1024), "website": ""})
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()
    assert _rows() == before


def test_wrong_ids_in_contribution_urls_are_404s(client, consultation, member):
    client.force_login(member)
    for suffix in (
        "contributions/-1/",
        "contributions/abc/",
        "contributions/99999999999999999999/edit/",
        "contributions/0/reply/",
    ):
        assert client.get(consultation.url + suffix).status_code == 404, suffix
    assert client.get(consultation.url + "contributions/%00/").status_code == 400


def _post_on_someone_elses(client, consultation, author, visitor, action: str, data: dict, stored) -> Contribution:
    """``data`` posted to ``action`` on a new contribution of ``author``, as ``visitor``:
    stored once when accepted, not at all when refused."""
    c = make_contribution(consultation, author)
    client.force_login(visitor)
    before = stored.count()
    response = _post(client, f"{consultation.url}contributions/{c.pk}/{action}/", data)
    assert response.status_code in (302, 400)
    assert stored.count() == before + (response.status_code == 302)
    return c


@given(body=st.one_of(script_text, control_text, rtl_or_emoji_text, too_long(REPLY_MAX)))
@HOSTILE
def test_a_hostile_reply_is_cleaned_or_refused(client, consultation, member, other_member, body):
    c = _post_on_someone_elses(client, consultation, member, other_member, "reply", {"body": body}, Reply.objects)
    _assert_not_executable(client, f"{consultation.url}contributions/{c.pk}/")


@given(reason=st.one_of(script_text, control_text, too_long(REASON_MAX), st.just("abc")))
@HOSTILE
def test_a_hostile_report_is_stored_as_text_or_refused(client, consultation, member, other_member, reason):
    _post_on_someone_elses(client, consultation, member, other_member, "report", {"reason": reason}, Report.objects)


@given(value=st.one_of(control_text, st.sampled_from(["", "0", "1", "2", "[]", "true"]), script_text))
@HOSTILE
def test_support_takes_any_value_without_a_server_error(client, consultation, member, other_member, value):
    c = make_contribution(consultation, member)
    client.force_login(other_member)
    response = _post(client, f"{consultation.url}contributions/{c.pk}/support/", {"supported": value})
    assert response.status_code == 302
    assert Support.objects.filter(contribution=c).count() <= 1


@given(title=st.one_of(script_text, control_text, too_long(TITLE_MAX)), body=st.one_of(script_text, control_text))
@HOSTILE
def test_a_hostile_edit_is_cleaned_or_refused_and_the_history_stays_whole(client, consultation, member, title, body):
    c = make_contribution(consultation, member, title="Avant", body="<p>Le texte d'avant, assez long.</p>")
    client.force_login(member)
    response = _post(
        client, f"{consultation.url}contributions/{c.pk}/edit/", {"title": title, "body": body + " mot" * 8}
    )
    assert response.status_code in (302, 400)
    c.refresh_from_db()
    revisions = ContributionRevision.objects.filter(contribution=c).count()
    if response.status_code == 400:
        assert c.title == "Avant" and revisions == 0
    else:
        assert revisions == 1 and executable_markup(c.body) == []
        _assert_not_executable(client, f"{consultation.url}contributions/{c.pk}/")


@given(extra=st.dictionaries(st.sampled_from(["confirm", "state", "author", "id"]), any_hostile_text, max_size=3))
@HOSTILE
def test_withdrawing_with_extra_hostile_fields_withdraws_only_ones_own(client, consultation, member, extra):
    c = make_contribution(consultation, member)
    client.force_login(member)
    withdrawn = Contribution.objects.filter(state=Contribution.State.WITHDRAWN)
    before = withdrawn.count()
    response = _post(client, f"{consultation.url}contributions/{c.pk}/withdraw/", extra)
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.state == Contribution.State.WITHDRAWN and withdrawn.count() == before + 1


@given(name=st.one_of(script_text, control_text, rtl_or_emoji_text, too_long(80)))
@HOSTILE
def test_sign_up_with_a_hostile_display_name_is_escaped_or_refused(client, name):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.count()
    cache.clear()
    n = users + 1
    response = client.post(
        "/fr/accounts/signup/",
        {
            "email": f"hostile{n}@example.org",
            "password1": "a-long-test-password-42",
            "password2": "a-long-test-password-42",
            "display_name": name,
            "city": "Dakar",
            "organisation": "",
        },
    )
    assert response.status_code in (200, 302, 400)
    created = get_user_model().objects.filter(email=f"hostile{n}@example.org").first()
    assert (created is not None) == (response.status_code == 302)
    if created is not None:
        assert "\x00" not in created.display_name
    else:
        assert get_user_model().objects.count() == users
    assert executable_markup(response.content.decode()) == []
