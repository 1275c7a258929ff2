"""Which articles a query lets through: its field filters (title:, author:, section:, tag:,
publication:, dates) and its excluded words (-word)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, NamedTuple

from bulletin_tui.search.query import Query
from bulletin_tui.search.terms import Terms

Tagged = Callable[[str], Collection[str]]  # `tag:X`: the ids of articles whose keywords include X


class Excluded(NamedTuple):
    surely: Any  # bool per doc: holds an excluded word
    to_check: list[str]  # long words that may be in a body: the text decides


def allowed(terms: Terms, query: Query, tagged: Tagged | None) -> Any:
    """Per doc: every filter of the query met."""
    import numpy as np

    catalog = terms.catalog
    n = catalog.n
    allowed = np.ones(n, dtype=bool)
    for value in query.title:
        allowed &= catalog.titles.counts(value, n) > 0
    for value in query.author:
        allowed &= catalog.authors.counts(value, n) > 0
    for value in query.section:
        allowed &= catalog.sections.counts(value, n) > 0
    for value in query.tags:
        ids = set(tagged(value)) if tagged is not None else set()
        allowed &= np.array([i in ids for i in catalog.article_ids(range(n))], dtype=bool)
    for value in query.publication:
        allowed &= catalog.publications.counts(value, n) > 0
    for start, end in query.dates:
        if start is not None:
            allowed &= catalog.dates >= start.toordinal()
        if end is not None:
            allowed &= catalog.dates <= end.toordinal()
        allowed &= catalog.dates > 0
    return allowed


def excluded(terms: Terms, words: Sequence[str]) -> Excluded:
    """Docs surely excluded, and the long words whose body matches need the text to decide."""
    import numpy as np

    catalog = terms.catalog
    surely = np.zeros(catalog.n, dtype=bool)
    to_check: list[str] = []
    for word in words:
        surely |= catalog.titles.counts(word, catalog.n) > 0
        surely |= catalog.meta.counts(word, catalog.n) > 0
        body, loose = terms.body_counts(word)
        surely |= (body > 0) & ~loose
        if loose.any():
            to_check.append(word)
    return Excluded(surely, to_check)


def still_open(allowed: Any, excluded: Excluded, taken: set[int]) -> Any:
    """Docs a lower stage may still add: allowed, not surely excluded, not found already."""
    mask = allowed & ~excluded.surely
    if taken:
        mask[list(taken)] = False
    return mask


def not_excluded(terms: Terms, docs: list[int], excluded: Excluded) -> list[int]:
    """`docs` less those whose body holds a word to check."""
    if not excluded.to_check or not docs:
        return docs
    bodies = terms.catalog.bodies.folded(docs)
    return [d for d in docs if not any(w in bodies.get(d, "") for w in excluded.to_check)]
