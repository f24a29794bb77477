"""Which engine errors are a cluster's passing trouble, asked again before the database answers
(the soak: a node rejoining after a restart answered these for a few seconds)."""

import pytest
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import RequestError, TransportError

from search.engines.client import _passing


def _error(cls, status: int, reason: str):
    info = {"error": {"root_cause": [{"type": "search_phase_execution_exception", "reason": reason}]}}
    return cls(status, "search_phase_execution_exception", info)


@pytest.mark.parametrize(
    ("error", "asked_again"),
    [
        (_error(TransportError, 503, "all shards failed"), True),
        (_error(TransportError, 500, "[topo-os1][127.0.0.1:9207] Node not connected"), True),
        (_error(RequestError, 400, "failed to create query: this Analyzer is closed"), True),
        # The query's own fault: asking again would only make the reader wait.
        (_error(RequestError, 400, "failed to create query: Cannot parse 'x AND'"), False),
        # A node that does not answer at all: the client's own retry tries the other node.
        (EngineConnectionError("N/A", "Connection refused", None), False),
    ],
)
def test_a_rejoining_clusters_passing_errors_are_asked_again(error, asked_again):
    assert _passing(error) is asked_again
