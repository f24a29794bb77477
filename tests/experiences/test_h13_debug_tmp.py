import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.experiences.test_media import _with_media, _report
from tests.hostile import database_search_only  # noqa

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search_only")]

def q(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as c:
        client.get(url)
    return [x["sql"] for x in c.captured_queries]

def test_debug(client, no_page_cache):
    url = "/en/experiences/?theme=energy-climate&q=Mediaville"
    _with_media(_report("cost-cover-0"))
    a = q(client, url)
    for i in range(1, 5):
        _with_media(_report(f"cost-cover-{i}"))
    q(client, url)
    b = q(client, url)
    import difflib
    print("\n".join(difflib.unified_diff([s[:300] for s in a], [s[:300] for s in b], lineterm="")))
