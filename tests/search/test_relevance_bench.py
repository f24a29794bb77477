"""The relevance benchmark's scores and corpus (bench/relevance, issue #17)."""

import pytest

from bench.relevance import corpus
from bench.relevance.__main__ import table
from bench.relevance.metrics import ndcg_at, recall_at


def test_recall_and_ndcg_at_five():
    assert recall_at(["a", "b", "c"], {"c"}) == 1.0
    assert recall_at(["a", "b", "c", "d", "e", "f"], {"f"}) == 0.0  # sixth is not in the top five
    assert recall_at(["a", "x"], {"a", "b"}) == 0.5
    assert ndcg_at(["a", "b"], {"a"}) == 1.0
    assert ndcg_at(["x", "a"], {"a"}) == pytest.approx(1 / 1.584962500721156)
    assert ndcg_at([], {"a"}) == 0.0


def test_every_report_exists_in_one_language_and_every_query_is_judged():
    records = corpus.records()
    ids = [r["external_id"] for r in records]
    assert len(ids) == len(set(ids)) and {r["language"] for r in records} == {"fr", "en"}
    queries = corpus.queries()
    assert all(q["relevant"] <= set(ids) for q in queries)
    language = {r["external_id"]: r["language"] for r in records}
    for q in queries:
        same = all(language[i] == q["lang"] for i in q["relevant"])
        assert q["kind"] == ("same" if same else "cross"), q
    assert sum(q["kind"] == "cross" for q in queries) == sum(q["kind"] == "same" for q in queries) >= 20


def test_the_table_puts_expansion_off_and_on_side_by_side():
    row = {"kind": "cross", "recall": 1.0, "ndcg": 1.0, "seconds": 0.01}
    lines = table({("database", False): [{**row, "recall": 0.0, "ndcg": 0.0}], ("database", True): [row]})
    assert "| database | cross | 1 | 0.0 | 100.0 | 0.0 | 100.0 | 10.0 | 10.0 |" in lines
