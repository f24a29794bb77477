"""What the site asks of PostgreSQL on every connection."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_no_jit_compilation_for_the_sites_short_statements():
    # At 100,000 reports a list's facet statement passed the JIT threshold and spent 1.2 s
    # compiling what then ran in 1 s (bench.pages); the site's statements are all short.
    from tests.services import require_postgres

    require_postgres()  # under CI=true a missing PostgreSQL fails, never skips
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
