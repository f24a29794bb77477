"""The hub's analysis, fields and index preparation, added to any django-modelsearch engine backend.

One index per root model, as django-modelsearch lays them out, with the hub's own fields
added to every document. The text fields ``hub_title`` and ``hub_text`` are indexed three
times: folded (lower-case, no accents, no stemming: exact words, names, typos), ``.fr``
(French elision, stop words, light French stemmer) and ``.en`` (English possessives, stop
words, English stemmer). A query searches all three, the sub-field of the query's language
boosted, so a French query also finds an English report that shares its words ("smart
city", "Béthune").

``hub_backend`` builds the backend of one engine family from django-modelsearch's classes
of that family: search/engines/opensearch.py and elasticsearch.py are a line each.
"""

from types import ModuleType
from typing import Any

from search.documents import document_for, fingerprint, load_for_documents

FRENCH_ELISIONS = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]

HUB_ANALYSIS = {
    "settings": {
        "analysis": {
            "filter": {
                "hub_french_elision": {"type": "elision", "articles_case": True, "articles": FRENCH_ELISIONS},
                "hub_french_stop": {"type": "stop", "stopwords": "_french_"},
                "hub_french_stemmer": {"type": "stemmer", "language": "light_french"},
                "hub_english_possessive": {"type": "stemmer", "language": "possessive_english"},
                "hub_english_stop": {"type": "stop", "stopwords": "_english_"},
                "hub_english_stemmer": {"type": "stemmer", "language": "english"},
                "hub_edgengram": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
            },
            "analyzer": {
                "hub_folded": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["hub_french_elision", "lowercase", "asciifolding"],
                },
                "hub_french": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "hub_french_elision",
                        "lowercase",
                        "hub_french_stop",
                        "asciifolding",
                        "hub_french_stemmer",
                    ],
                },
                "hub_english": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "hub_english_possessive",
                        "lowercase",
                        "hub_english_stop",
                        "asciifolding",
                        "hub_english_stemmer",
                    ],
                },
                "hub_autocomplete": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "asciifolding", "hub_edgengram"],
                },
            },
        }
    }
}


def _text(**extra: Any) -> dict[str, Any]:
    return {
        "type": "text",
        "analyzer": "hub_folded",
        "fields": {
            "fr": {"type": "text", "analyzer": "hub_french"},
            "en": {"type": "text", "analyzer": "hub_english"},
            "ac": {"type": "text", "analyzer": "hub_autocomplete", "search_analyzer": "hub_folded"},
        },
        **extra,
    }


HUB_PROPERTIES: dict[str, Any] = {
    "hub_title": _text(),
    "hub_text": _text(),
    "hub_summary": {"type": "text", "index": False},
    "hub_city": _text(),
    "hub_url": {"type": "keyword", "index": False},
    "hub_visible": {"type": "boolean"},
    "hub_date": {"type": "date"},
    **{
        name: {"type": "keyword"}
        for name in (
            "hub_type",
            "hub_id",
            "hub_group",
            "hub_lang",
            "hub_langs",
            "hub_external_id",
            "hub_country",
            "hub_region",
            "hub_size",
            "hub_status",
            "hub_themes",
            "hub_sdgs",
            "hub_fingerprint",
        )
    },
    "hub_tags": {"type": "keyword", "fields": {"text": _text()}},
}


class HubMappingMixin:
    """Adds the hub's fields to django-modelsearch's mapping and documents."""

    def get_mapping(self) -> dict[str, Any]:
        mapping = super().get_mapping()  # type: ignore[misc]
        mapping["properties"].update(HUB_PROPERTIES)
        return mapping

    def get_document(self, obj: Any) -> dict[str, Any]:
        doc = super().get_document(obj)  # type: ignore[misc]
        hub = document_for(obj)
        if hub:
            hub["hub_fingerprint"] = fingerprint(hub)
            doc.update(hub)
        return doc


def hub_settings(base: dict[str, Any]) -> dict[str, Any]:
    """The backend's default index settings with the hub's analyzers merged in."""
    from copy import deepcopy

    from modelsearch.utils import deep_update

    return deep_update(deepcopy(base), HUB_ANALYSIS)


_prepared: set[tuple[str, type]] = set()


class HubIndexMixin:
    """Creates a missing index with the hub's settings and mapping before the first write to it.

    Without this, the first document saved into a missing index (a fresh engine,
    a test run) would make the engine create the index with a guessed mapping:
    no analyzers, no facets.
    """

    def _prepare(self, model: type) -> None:
        key = (self.name, model)  # type: ignore[attr-defined]
        if key in _prepared:
            return
        if not self.exists():  # type: ignore[attr-defined]
            self.put()  # type: ignore[attr-defined]
        self.add_model(model)  # type: ignore[attr-defined]
        _prepared.add(key)

    def add_item(self, item: Any) -> None:
        self._prepare(type(item))
        super().add_item(item)  # type: ignore[misc]

    def add_items(self, model: type, items: Any) -> None:
        self._prepare(model)
        items = list(items)
        load_for_documents(items)  # what each document reads, for the whole chunk at once
        super().add_items(model, items)  # type: ignore[misc]


class HubBackendMixin:
    """Reads the backend's ``INDEX_REPLICAS`` (settings.SEARCH_INDEX_REPLICAS): the number of copies
    of each shard kept on other nodes, set on every index the hub creates (and on the new index of
    an atomic rebuild). 1 on a two-node cluster, so that search keeps answering from the engine
    while one node is down; None leaves the cluster's default."""

    settings: dict[str, Any]  # the index settings of django-modelsearch's backend, which this is mixed into

    def __init__(self, params: dict[str, Any]) -> None:
        params = dict(params)
        replicas = params.pop("INDEX_REPLICAS", None)
        super().__init__(params)  # type: ignore[call-arg]
        if replicas is not None:
            from modelsearch.utils import deep_update

            self.settings = deep_update(self.settings, {"settings": {"index": {"number_of_replicas": int(replicas)}}})


def hub_backend(module: ModuleType, prefix: str, name: str, engine_name: str, module_name: str) -> type:
    """django-modelsearch's backend of ``module`` (classes ``<prefix>SearchBackend``, ``<prefix>Mapping``…)
    with the hub's analyzers, fields and index preparation; its classes are named ``Hub<name>…``."""

    def make(kind: str, bases: tuple[type, ...], **attrs: Any) -> type:
        return type(f"Hub{name}{kind}", bases, {"__module__": module_name, **attrs})

    mapping = make("Mapping", (HubMappingMixin, getattr(module, f"{prefix}Mapping")))
    backend = getattr(module, f"{prefix}SearchBackend")
    return make(
        "Backend",
        (HubBackendMixin, backend),
        mapping_class=mapping,
        index_class=make("Index", (HubIndexMixin, getattr(module, f"{prefix}Index"))),
        query_compiler_class=make(
            "QueryCompiler", (getattr(module, f"{prefix}SearchQueryCompiler"),), mapping_class=mapping
        ),
        autocomplete_query_compiler_class=make(
            "AutocompleteQueryCompiler", (getattr(module, f"{prefix}AutocompleteQueryCompiler"),), mapping_class=mapping
        ),
        settings=hub_settings(backend.settings),
        engine_name=engine_name,
    )
