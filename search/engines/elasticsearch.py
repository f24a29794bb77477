"""Elasticsearch 8/9 with the hub's analyzers and fields (BACKEND "search.engines.elasticsearch").

The client library decides the server generation: elasticsearch-py 9 talks to
Elasticsearch 9, elasticsearch-py 8 to Elasticsearch 8 (pin the one you run).
"""

import elasticsearch
from modelsearch.backends import elasticsearch8, elasticsearch9

from . import HubIndexMixin, HubMappingMixin, hub_settings

_base = elasticsearch9 if elasticsearch.__versionstr__.split(".")[0] >= "9" else elasticsearch8
_prefix = "Elasticsearch9" if _base is elasticsearch9 else "Elasticsearch8"


class HubElasticsearchMapping(HubMappingMixin, getattr(_base, f"{_prefix}Mapping")):
    pass


class HubElasticsearchIndex(HubIndexMixin, getattr(_base, f"{_prefix}Index")):
    pass


class HubElasticsearchQueryCompiler(getattr(_base, f"{_prefix}SearchQueryCompiler")):
    mapping_class = HubElasticsearchMapping


class HubElasticsearchAutocompleteQueryCompiler(getattr(_base, f"{_prefix}AutocompleteQueryCompiler")):
    mapping_class = HubElasticsearchMapping


_Backend = getattr(_base, f"{_prefix}SearchBackend")


class HubElasticsearchBackend(_Backend):
    mapping_class = HubElasticsearchMapping
    index_class = HubElasticsearchIndex
    query_compiler_class = HubElasticsearchQueryCompiler
    autocomplete_query_compiler_class = HubElasticsearchAutocompleteQueryCompiler
    settings = hub_settings(_Backend.settings)
    engine_name = "elasticsearch"


SearchBackend = HubElasticsearchBackend
