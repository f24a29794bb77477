"""Elasticsearch 8/9 with the hub's analyzers and fields (BACKEND "search.engines.elasticsearch").

The client library decides the server generation: elasticsearch-py 9 talks to
Elasticsearch 9, elasticsearch-py 8 to Elasticsearch 8 (pin the one you run).
"""

import elasticsearch
from modelsearch.backends import elasticsearch8, elasticsearch9

from .base import hub_backend

_nine = elasticsearch.__versionstr__.split(".")[0] >= "9"
SearchBackend = HubElasticsearchBackend = hub_backend(
    elasticsearch9 if _nine else elasticsearch8,
    "Elasticsearch9" if _nine else "Elasticsearch8",
    "Elasticsearch",
    "elasticsearch",
    __name__,
)
