"""The first stage: articles holding every term as typed (and, a stage lower, every word cut apart),
ranked by BM25. Candidates are taken best bound first and checked against the text only until no
unchecked one can beat the hits in hand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bulletin_tui.search.filters import Excluded
from bulletin_tui.search.scoring import TIER_STEP, Scored, best_first, bm25, push
from bulletin_tui.search.terms import Term, Terms

BATCH = 32  # bodies fetched at a time while checking candidates

Heap = list[tuple[float, int, int]]  # (score, date, -doc): the worst hit on top


def rank(
    terms: Terms,
    texts: Sequence[str],
    allowed: Any,
    excluded: Excluded,
    limit: int,
    tier: int,
    how: str = "text",
) -> list[Scored]:
    """The best `limit` articles holding every one of `texts`, scored in `tier`."""
    import numpy as np

    catalog = terms.catalog
    counted = [terms.term(text) for text in texts]
    match = allowed & ~excluded.surely
    for term in counted:
        match &= term.anywhere()
    docs = np.flatnonzero(match)
    if len(docs) == 0:
        return []
    bound = bm25(catalog, counted, docs, [term.body[docs] for term in counted])
    check = np.zeros(len(docs), dtype=bool)
    for term in counted:
        check |= term.loose[docs]
    if excluded.to_check:
        check[:] = True
    order = best_first(catalog, docs, bound, limit)
    heap: Heap = []
    at = 0
    while True:
        if at >= len(order):
            if len(order) == len(docs):
                break
            # The head ran out before the hits were settled: the rest, in the same order.
            order = best_first(catalog, docs, bound, len(docs))
        if len(heap) >= limit and heap[0][0] > bound[order[at]] + 1e-9:
            break  # nothing left can beat the hits in hand
        batch = order[at : at + BATCH]
        at += BATCH
        _take(terms, counted, docs, bound, check, batch, excluded, heap, limit)
    step = tier * TIER_STEP
    return [
        Scored(tier, step + min(s, TIER_STEP - 1), -d, tuple(texts), how)
        for s, _, d in sorted(heap, reverse=True)
    ]


def _take(
    terms: Terms,
    counted: list[Term],
    docs: Any,
    bound: Any,
    check: Any,
    batch: Any,
    excluded: Excluded,
    heap: Heap,
    limit: int,
) -> None:
    """Push a batch of candidates onto `heap`: by their bound where it is exact, else checked
    against the text and scored by their true counts."""
    import numpy as np

    catalog = terms.catalog
    dates = catalog.dates
    needed = [int(docs[k]) for k in batch if check[k]]
    bodies = catalog.bodies.folded(needed) if needed else {}
    held: list[int] = []  # checked docs that hold every term, and their body counts
    held_counts: list[list[int]] = []
    for k in batch:
        doc = int(docs[k])
        if not check[k]:
            push(heap, (float(bound[k]), int(dates[doc]), -doc), limit)
            continue
        body = bodies.get(doc, "")
        if any(word in body for word in excluded.to_check):
            continue
        counts = [body.count(term.text) for term in counted]
        if all(t.title[doc] or t.meta[doc] or c for t, c in zip(counted, counts, strict=True)):
            held.append(doc)
            held_counts.append(counts)
    if held:  # scored together: one numpy pass a batch, not one a doc
        columns = list(np.array(held_counts, dtype=np.int64).T)
        scores = bm25(catalog, counted, np.array(held), columns)
        for doc, score in zip(held, scores.tolist(), strict=True):
            push(heap, (score, int(dates[doc]), -doc), limit)
