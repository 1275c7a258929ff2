"""The word stages: unspaced Chinese terms cut into words (jieba, loaded only when a query gets this
far), each word found anywhere (WORDS); then articles holding most of the words and every required
term, marked with what they lack (PARTIAL)."""

from __future__ import annotations

from typing import Any

from bulletin_tui.chinese_characters import has_han
from bulletin_tui.search.filters import Excluded
from bulletin_tui.search.folding import fold
from bulletin_tui.search.query import Query
from bulletin_tui.search.scoring import PARTIAL, TIER_STEP, Scored, bm25
from bulletin_tui.search.terms import Term, Terms


def words(query: Query) -> list[str] | None:
    """The query's terms with unspaced Chinese cut into words; None if nothing was cut."""
    texts: list[str] = []
    cut = False
    for term in query.terms:
        if term.required or len(term.text) < 3 or not has_han(term.text):
            texts.append(term.text)
            continue
        from bulletin_tui import chinese_words

        found = [fold(word) for word in chinese_words.words(term.text)]
        found = [word for word in found if any(char.isalnum() for char in word)]
        if len(found) > 1:
            cut = True
            texts.extend(dict.fromkeys(found))
        else:
            texts.append(term.text)
    return texts if cut else None


def partial(
    terms: Terms, query: Query, apart: list[str], mask: Any, excluded: Excluded, limit: int
) -> list[Scored]:
    """PARTIAL: articles holding most of `apart` and every required term, ranked by how much of
    the query they hold, then BM25; each marked with the words it lacks."""
    import numpy as np

    counted = [terms.term(word) for word in dict.fromkeys(apart)]
    if len(counted) < 2:
        return []
    required = [term.text in _required(query) for term in counted]
    present = np.array([t.anywhere() for t in counted])
    held = present.sum(axis=0)
    need = max(1, (len(counted) + 1) // 2)
    candidate = mask & (held >= need) & (held < len(counted))
    candidate &= present[required].all(axis=0) if any(required) else True
    docs = np.flatnonzero(candidate)
    if not len(docs):
        return []
    catalog = terms.catalog
    bound = held[docs] * TIER_STEP + bm25(catalog, counted, docs, [t.body[docs] for t in counted])
    chosen = docs[np.lexsort((docs, -catalog.dates[docs], -bound))[: 3 * limit + 16]]
    has, counts, dropped = _checked(terms, counted, chosen, excluded)
    held_now = has.sum(axis=0)
    keep = ~dropped & (held_now >= need)
    keep &= has[required].all(axis=0) if any(required) else True
    bm = bm25(catalog, counted, chosen, list(counts))
    scores = PARTIAL * TIER_STEP + 500 * held_now / len(counted) + np.minimum(bm, 499)
    scored = []
    for c in np.flatnonzero(keep).tolist():
        matched = tuple(t.text for t, h in zip(counted, has[:, c], strict=True) if h)
        missing = tuple(t.text for t, h in zip(counted, has[:, c], strict=True) if not h)
        doc = int(chosen[c])
        scored.append(Scored(PARTIAL, float(scores[c]), doc, matched, "partial", (), missing))
    scored.sort(key=lambda s: (-s.score, -int(catalog.dates[s.doc]), s.doc))
    return scored[:limit]


def _required(query: Query) -> set[str]:
    return {term.text for term in query.terms if term.required}


def _checked(
    terms: Terms, counted: list[Term], chosen: Any, excluded: Excluded
) -> tuple[Any, Any, Any]:
    """For the chosen docs: which terms each holds and its body counts, exact where the index gave
    only a bound (every text read when there are words to exclude), and which hold one of those."""
    import numpy as np

    counts = np.stack([t.body[chosen] for t in counted]).astype(np.int64)
    title_or_meta = np.stack([(t.title[chosen] > 0) | (t.meta[chosen] > 0) for t in counted])
    unsure = np.stack([t.loose[chosen] for t in counted]) & ~title_or_meta
    read = unsure.any(axis=0) | bool(excluded.to_check)
    dropped = np.zeros(len(chosen), dtype=bool)
    bodies = terms.catalog.bodies.folded([int(d) for d in chosen[read]])
    for c in np.flatnonzero(read).tolist():
        body = bodies.get(int(chosen[c]), "")
        dropped[c] = any(w in body for w in excluded.to_check)
        for t in np.flatnonzero(unsure[:, c]).tolist():
            counts[t, c] = body.count(counted[t].text)
    return title_or_meta | (counts > 0), counts, dropped
