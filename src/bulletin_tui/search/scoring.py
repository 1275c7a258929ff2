"""How hits are scored and ordered: BM25-like within a stage (each term weighs by rarity, title >
subtitle/byline > body, saturating in repeats), each stage's scores above the stage below it, ties
to the newer issue."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bulletin_tui.search.catalog import Catalog
    from bulletin_tui.search.terms import Term

K1, B = 1.2, 0.75
W_TITLE, W_META, W_BODY = 3.0, 1.5, 1.0
TIER_STEP = 1000.0  # scores of a higher stage start here above the stage below
# The stages, best first (search.pipeline): the text as typed, near-miss titles, titles spelt in
# pinyin, words apart, most of the words, titles sharing most pairs.
TEXT, NEAR, SPELT, WORDS, PARTIAL, LOOSE = 6, 5, 4, 3, 2, 1


@dataclass(frozen=True, slots=True)
class Scored:
    tier: int
    score: float
    doc: int  # dense index
    terms: tuple[str, ...]  # what to highlight in the body
    match: str = "text"  # see Hit.match
    title_spans: tuple[tuple[int, int], ...] = ()  # for near-miss and pinyin titles
    missing: tuple[str, ...] = ()


def bm25(catalog: Catalog, terms: Sequence[Term], docs: Any, body: Sequence[Any]) -> Any:
    """Scores of `docs` given body counts (one array per term, aligned with docs)."""
    length = catalog.length[docs]
    norm = K1 * (1 - B + B * length / catalog.average_length)
    total = 0.0
    for term, counts in zip(terms, body, strict=True):
        title = term.title[docs]
        meta = term.meta[docs]
        total = total + term.idf * (
            W_TITLE * title * (K1 + 1) / (title + K1)
            + W_META * meta * (K1 + 1) / (meta + K1)
            + W_BODY * counts * (K1 + 1) / (counts + norm)
        )
    return total


def best_first(catalog: Catalog, docs: Any, bound: Any, limit: int) -> Any:
    """Positions in `docs` by bound (best first), newer first among equals: all of them, or,
    when there are many, just every doc at least as good as the few-times-`limit`-th."""
    import numpy as np

    dates = catalog.dates
    head = 4 * limit + 64
    if len(docs) > 2 * head:
        threshold = np.partition(bound, len(bound) - head)[len(bound) - head]
        chosen = np.flatnonzero(bound >= threshold)
        inner = np.lexsort((docs[chosen], -dates[docs[chosen]], -bound[chosen]))
        return chosen[inner]
    return np.lexsort((docs, -dates[docs], -bound))


def push(heap: list[tuple[float, int, int]], item: tuple[float, int, int], limit: int) -> None:
    """Keep the best `limit` items of a min-heap."""
    if len(heap) < limit:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)


def best(catalog: Catalog, scored: list[Scored], limit: int) -> list[Scored]:
    """The best `limit`, newer first among equals."""
    scored.sort(key=lambda s: (-s.score, -int(catalog.dates[s.doc]), s.doc))
    return scored[:limit]
