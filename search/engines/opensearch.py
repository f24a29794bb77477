"""OpenSearch 2/3 with the hub's analyzers and fields (WAGTAILSEARCH_BACKENDS BACKEND "search.engines.opensearch").

Built on django-modelsearch's opensearch3 classes: they call opensearch-py 3
(the pinned client) with keyword arguments, and that client talks to
OpenSearch 2.x and 3.x servers alike.
"""

from modelsearch.backends import opensearch3

from .base import hub_backend

SearchBackend = HubOpenSearchBackend = hub_backend(opensearch3, "OpenSearch3", "OpenSearch", "opensearch", __name__)
