"""OpenSearch 2/3 with the hub's analyzers and fields (WAGTAILSEARCH_BACKENDS BACKEND "search.engines.opensearch").

Built on django-modelsearch's opensearch3 classes: they call opensearch-py 3
(the pinned client) with keyword arguments, and that client talks to
OpenSearch 2.x and 3.x servers alike.
"""

from modelsearch.backends.opensearch3 import (
    OpenSearch3AutocompleteQueryCompiler,
    OpenSearch3Index,
    OpenSearch3Mapping,
    OpenSearch3SearchBackend,
    OpenSearch3SearchQueryCompiler,
)

from . import HubIndexMixin, HubMappingMixin, hub_settings


class HubOpenSearchMapping(HubMappingMixin, OpenSearch3Mapping):
    pass


class HubOpenSearchIndex(HubIndexMixin, OpenSearch3Index):
    pass


class HubOpenSearchQueryCompiler(OpenSearch3SearchQueryCompiler):
    mapping_class = HubOpenSearchMapping


class HubOpenSearchAutocompleteQueryCompiler(OpenSearch3AutocompleteQueryCompiler):
    mapping_class = HubOpenSearchMapping


class HubOpenSearchBackend(OpenSearch3SearchBackend):
    mapping_class = HubOpenSearchMapping
    index_class = HubOpenSearchIndex
    query_compiler_class = HubOpenSearchQueryCompiler
    autocomplete_query_compiler_class = HubOpenSearchAutocompleteQueryCompiler
    settings = hub_settings(OpenSearch3SearchBackend.settings)
    engine_name = "opensearch"


SearchBackend = HubOpenSearchBackend
