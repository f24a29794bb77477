"""After a transactional test's flush the demo comes back from the snapshot taken after the
session's first load (tests/demo_snapshot.py), in a second instead of half a minute: every row
of every table as it was, and the database search finding the demo's reports again."""

import pytest
from django.core.management import call_command
from wagtail.search.backends import get_search_backend

from experiences.models import ExperiencePage
from tests import demo_snapshot


def _rows() -> dict[str, list]:
    """Each table's rows, in no particular order (COPY text lines on PostgreSQL)."""
    return {
        t.name: sorted(t.rows.split(b"\n")) if isinstance(t.rows, bytes) else sorted(map(repr, t.rows))
        for t in demo_snapshot.take()
    }


@pytest.mark.django_db(transaction=True)
def test_the_demo_restored_after_a_flush_is_the_demo_row_for_row_and_searchable(demo):
    snapshot = demo_snapshot.take()
    before = _rows()
    report = ExperiencePage.objects.live().filter(locale__language_code="en").first()
    word = max(report.title.split(), key=len)
    live = ExperiencePage.objects.live().count()
    # Emptied as a transactional test's teardown does: sequences kept, no post_migrate (a
    # serialized rollback writes the migrations' rows back).
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True, reset_sequences=False)
    assert not ExperiencePage.objects.exists()

    demo_snapshot.restore(snapshot)
    assert [name for name in before if before[name] != _rows().get(name)] == []
    # Written again over tables that hold rows (the migrations' rows, a test's leftovers).
    demo_snapshot.restore(snapshot)
    assert [name for name in before if before[name] != _rows().get(name)] == []

    assert ExperiencePage.objects.live().count() == live > 0
    found = get_search_backend("database").search(word, ExperiencePage.objects.live())
    assert report.pk in {page.pk for page in found}
