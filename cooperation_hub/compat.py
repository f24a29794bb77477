"""Every private name of a library that the hub uses, in one place.

Each function below wraps one name that is not its library's public API (a
leading underscore, or a management command's module). Calling code uses these
functions, never the private name itself, and tests/cooperation_hub/test_compat.py
checks each one against the installed version, so that an upgrade that renames
or removes one fails there, loudly, with the name to look at.

django-modelsearch's SQLite full-text internals have their own fence,
``cooperation_hub/fts.py`` (``REQUIRED``, ``missing_internals()``), checked by
the same test. docs/architecture.md lists them all.
"""

from __future__ import annotations

from typing import IO, Any

# (library, owner, name): what test_compat.py checks is still there.
PRIVATE_NAMES = [
    ("treebeard", "treebeard.mp_tree.MP_Node", "_get_path"),
    ("treebeard", "treebeard.mp_tree.MP_Node", "_inc_path"),
    ("treebeard", "treebeard.mp_tree.MP_Node", "_cached_parent_obj"),
    ("wagtail", "wagtail.models.Page", "_slug_is_available"),
    ("wagtail", "wagtail.models.Page", "_is_site_root"),
    ("allauth", "allauth.account.adapter.DefaultAccountAdapter", "_get_login_attempts_cache_key"),
    ("allauth", "allauth.core.internal.ratelimit", "consume"),
    ("modelsearch", "modelsearch.management.commands.rebuild_modelsearch_index", "group_models_by_index"),
    ("modelsearch", "modelsearch.backends.elasticsearchbase.ElasticsearchBaseSearchResults", "_backend_do_search"),
    ("django", "django.core.management.base.OutputWrapper", "_out"),
    ("django", "django.contrib.messages.storage.base.BaseStorage", "added_new"),
    ("pytest-django", "pytest_django.live_server_helper.LiveServer", "_live_server_modified_settings"),
]


# --- treebeard (Wagtail's page tree) --------------------------------------------------------------


def first_child_path(parent_path: str, depth: int) -> str:
    """The materialized path of a node's first child (treebeard's ``MP_Node._get_path``).

    The importer places thousands of reports under one index without re-reading the
    tree for each, which ``add_child()`` does."""
    from wagtail.models import Page

    return Page._get_path(parent_path, depth, 1)


def next_sibling_path(path: str) -> str:
    """The path right after ``path`` at the same depth (treebeard's ``MP_Node._inc_path``)."""
    from wagtail.models import Page

    return Page(path=path)._inc_path()


def set_known_parent(node: Any, parent: Any) -> None:
    """Tell a new node its parent (treebeard's ``_cached_parent_obj``, which ``add_child()`` sets),
    so that saving it does not read the parent again to build its URL path."""
    node._cached_parent_obj = parent


# --- Wagtail -----------------------------------------------------------------------------------------


def slug_is_available(slug: str, parent_page: Any, page: Any = None) -> bool:
    """Whether ``slug`` is free under ``parent_page`` by Wagtail's own rule (``Page._slug_is_available``:
    siblings in the same locale, aliases included), the rule ``full_clean`` applies."""
    from wagtail.models import Page

    return Page._slug_is_available(slug, parent_page, page)


def set_not_site_root(page: Any) -> None:
    """State that ``page`` is no site's root (``_is_site_root``, which ``annotate_site_root_state()``
    sets), so that saving it does not ask the database: a report is never a site root."""
    page._is_site_root = False


# --- django-allauth ----------------------------------------------------------------------------------


def login_attempts_cache_key(adapter: Any, request: Any, email: str) -> str:
    """allauth's key for counting failed logins of an account (``_get_login_attempts_cache_key``),
    so that the admin's login counts in the same counter as the members' login."""
    return adapter._get_login_attempts_cache_key(request, email=email)


def consume_allauth_rate_limit(request: Any, action: str, key: str) -> Any:
    """Count one event in allauth's own rate-limit counters (``allauth.core.internal.ratelimit``),
    with the limits of ``ACCOUNT_RATE_LIMITS``: allauth's usage, falsy once the limit is reached
    (``.rollback()`` takes the event back, e.g. after a successful login)."""
    from allauth.core.internal import ratelimit

    return ratelimit.consume(request, app="allauth.account", action=action, key=key)


# --- django-modelsearch ------------------------------------------------------------------------------


def group_models_by_index(backend: Any, models: list[type]) -> dict[Any, list[type]]:
    """Indexed models grouped by the index that holds them, as ``rebuild_modelsearch_index`` does
    (a function of that management command's module, not of the package's API)."""
    from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index as group

    return group(backend, models)


def engine_hit_pks(results: Any, limit: int) -> list[Any]:
    """The primary keys of an engine search's first ``limit`` hits, best first: the query
    modelsearch built for ``results`` (OpenSearch/Elasticsearch), sent once, its hits' keys read.

    Iterating ``results`` would scroll 100 hits a request and load each page of hits as
    model instances: a list page asking for its search's 1,000 best ids built 1,000 pages
    (~400 ms). The objects are not wanted here, only the order; rows the index still holds
    for pages gone from the public are left for the caller's SQL to drop.
    ``_backend_do_search`` sends the body with the engine client's API of either generation."""
    compiler = results.query_compiler
    body: dict[str, Any] = {"query": compiler.get_query()}
    if (sort := compiler.get_sort()) is not None:
        body["sort"] = sort
    params = {
        "index": results.backend.get_index_for_model(compiler.queryset.model).name,
        "_source": False,
        results.fields_param_name: "pk",
        "size": limit,
    }
    response = results._backend_do_search(body, **params)
    return [hit["fields"]["pk"][0] for hit in response["hits"]["hits"]]


# --- Django ------------------------------------------------------------------------------------------


def raw_stream(output: Any) -> IO[str]:
    """The stream under a management command's ``self.stdout``/``self.stderr`` (``OutputWrapper._out``):
    a progress bar writes ``\\r`` updates, which the wrapper would end with a newline each."""
    return output._out


def messages_added(request: Any) -> bool:
    """Whether this response stores a new flash message (``request._messages.added_new``): such a
    page is for one visitor and must not be cached. ``get_messages()`` would not tell new from old."""
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and getattr(storage, "added_new", False))


# --- pytest-django -----------------------------------------------------------------------------------


def live_server_settings(server: Any) -> Any:
    """The settings override a pytest-django ``LiveServer`` applies while it runs (ALLOWED_HOSTS,
    static files): enabled by hand for the session-wide reading server (tests/conftest.py)."""
    return server._live_server_modified_settings
