"""SEARCH_INDEX_REPLICAS (issue #16): on a cluster of two engine nodes every index the hub
creates asks for one replica, so that each node holds a full copy and search answers from
the engine while one node is down. Checked on the settings the index is created with (no
engine needed); scripts/topology.sh runs it on a real two-node cluster."""

import pytest

from search.engines.elasticsearch import SearchBackend as ElasticsearchBackend
from search.engines.opensearch import SearchBackend as OpenSearchBackend

PARAMS = {"URLS": ["http://127.0.0.1:9"], "INDEX_PREFIX": "hub_replicas_", "TIMEOUT": 1}


@pytest.mark.parametrize("backend_class", [OpenSearchBackend, ElasticsearchBackend])
def test_one_replica_is_asked_for_every_index(backend_class):
    backend = backend_class({**PARAMS, "INDEX_REPLICAS": 1})
    index_settings = backend.settings["settings"]
    assert index_settings["index"]["number_of_replicas"] == 1
    # The hub's analyzers are still there beside it.
    assert "hub_french" in index_settings["analysis"]["analyzer"]


def test_unset_leaves_the_clusters_default(settings):
    backend = OpenSearchBackend({**PARAMS, "INDEX_REPLICAS": None})
    assert "number_of_replicas" not in backend.settings["settings"].get("index", {})
    # The class-level settings shared by every backend are not changed by an instance.
    OpenSearchBackend({**PARAMS, "INDEX_REPLICAS": 2})
    assert "number_of_replicas" not in OpenSearchBackend.settings["settings"].get("index", {})
