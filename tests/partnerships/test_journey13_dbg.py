import pytest
from tests.partnerships.test_rules import setup, officer  # noqa
from partnerships import rules
from partnerships.outcomes import contacts_for
pytestmark = pytest.mark.django_db
def test_dbg(setup, cities):
    u=setup["lorient"]; p=setup["partnership"]
    print("perm", u.has_perm(rules.EDIT_PERMISSION), list(u.groups.all()), list(u.get_all_permissions())[:5])
    print("contacts", contacts_for(p, cities["Lorient"]), rules.city_ids(p), rules.sides_answered(u,p))
    assert 0
