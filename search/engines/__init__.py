"""Everything about the search engines (OpenSearch, Elasticsearch); the embedded default has none.

- ``opensearch.py``, ``elasticsearch.py``: the backends named in ``WAGTAILSEARCH_BACKENDS``
  (``search.engines.opensearch``…), both built by ``base.hub_backend`` from django-modelsearch's
  classes with the hub's analyzers and fields (``base.py``).
- ``client.py``: sending a request with the backend's client, and the circuit breaker that
  sends searches to the database backend while the engine is down.
- ``query.py``: the search written in the engine's query language (text, filters,
  highlighting, facets, suggestions).
"""
