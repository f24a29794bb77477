"""Every private library name the hub uses (cooperation_hub/compat.py, cooperation_hub/fts.py)
is still there and still does what the hub relies on. A failure here after an upgrade names
the internal that moved: adapt the one function that wraps it."""

import importlib
import inspect
from io import StringIO

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.management.base import OutputWrapper
from django.db import connection
from django.test import RequestFactory

from cooperation_hub import compat, fts


def _owner(path: str):
    module_path, _, name = path.rpartition(".")
    try:
        return importlib.import_module(path)
    except ImportError:
        return getattr(importlib.import_module(module_path), name)


@pytest.mark.parametrize("library, owner, name", compat.PRIVATE_NAMES, ids=lambda v: str(v))
def test_each_private_name_is_still_there(library, owner, name):
    obj = _owner(owner)
    # Instance attributes are set in __init__ or another method: look for them in the methods' source.
    found = hasattr(obj, name) or (
        inspect.isclass(obj)
        and any(
            name in inspect.getsource(f)
            for klass in obj.__mro__
            for f in vars(klass).values()
            if inspect.isfunction(f) and klass.__module__.split(".")[0] == library.replace("-", "_")
        )
    )
    assert found, f"{library}: {owner}.{name} is gone; adapt cooperation_hub/compat.py"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 internals are those of the SQLite backend")
def test_modelsearch_fts_internals_are_still_there():
    assert fts.missing_internals() == [], "adapt cooperation_hub/fts.py"


def test_tree_paths_follow_treebeard():
    assert compat.first_child_path("0001", 2) == "00010001"
    assert compat.next_sibling_path("00010001") == "00010002"
    assert compat.next_sibling_path("0001000Z") == "00010010"  # base 36


def test_a_known_parent_and_site_root_state_spare_their_queries(db, django_assert_num_queries):
    from wagtail.models import Page

    root = Page.get_first_root_node()
    page = Page(title="Known parent", slug="known-parent", depth=root.depth + 1)
    page.path = compat.first_child_path(root.path, page.depth)
    compat.set_known_parent(page, root)
    compat.set_not_site_root(page)
    with django_assert_num_queries(0):
        assert page.get_parent() is root
        assert page.is_site_root() is False


def test_slug_availability_follows_wagtail(demo):
    from experiences.models import ExperienceIndexPage

    index = ExperienceIndexPage.objects.live().first()
    taken = index.get_children().first().slug
    assert not compat.slug_is_available(taken, index)
    assert compat.slug_is_available("a-slug-nobody-uses-yet", index)


def test_allauth_login_counter(db, settings):
    from allauth.account.adapter import get_adapter

    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/key"}
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="203.0.113.5")
    key = compat.login_attempts_cache_key(get_adapter(request), request, email="someone@example.org")
    assert isinstance(key, str) and key
    allowed = [bool(compat.consume_allauth_rate_limit(request, action="login_failed", key=key)) for _ in range(3)]
    assert allowed == [True, True, False]


def test_models_grouped_by_index(db):
    from modelsearch.backends import get_search_backend
    from modelsearch.index import get_indexed_models

    from experiences.models import ExperiencePage

    groups = compat.group_models_by_index(get_search_backend("default"), get_indexed_models())
    assert any(ExperiencePage in models for models in groups.values())


def test_raw_stream_is_the_stream_under_a_command_output():
    stream = StringIO()
    assert compat.raw_stream(OutputWrapper(stream)) is stream


def test_a_new_flash_message_is_seen():
    request = RequestFactory().get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    assert not compat.messages_added(request)
    messages.info(request, "saved")
    assert compat.messages_added(request)
    assert not compat.messages_added(RequestFactory().get("/"))
