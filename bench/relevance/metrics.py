"""Recall@k and nDCG@k with binary judgements (pure functions, tested in tests/search/test_relevance_bench.py)."""

import math
from collections.abc import Iterable, Sequence


def recall_at(ranked: Sequence[str], relevant: Iterable[str], k: int = 5) -> float:
    """Share of the relevant items found in the first ``k``."""
    relevant = set(relevant)
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def ndcg_at(ranked: Sequence[str], relevant: Iterable[str], k: int = 5) -> float:
    """Normalised discounted cumulative gain of the first ``k`` (gain 1 for a relevant item, 0 otherwise)."""
    relevant = set(relevant)
    dcg = sum(1 / math.log2(rank + 2) for rank, item in enumerate(ranked[:k]) if item in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0
