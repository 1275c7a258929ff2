"""Ranked search over a cached library: the door to search.

A search runs down the stages of `search.pipeline` over term counts (`search.terms`) drawn from the
gram index (`search.postings`, a file of its own) and a catalog of every article (`search.catalog`),
then makes hits (`search.hits`). Bodies and titles come from the store through
`search.documents.Documents`; the catalog reads what it can from the index, so opening a large
library and its first search read neither every article nor every body.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

from bulletin_tui.model import Hit, Issue
from bulletin_tui.search import fuzzy, pipeline, stage_titles
from bulletin_tui.search.catalog import Catalog
from bulletin_tui.search.filters import Tagged
from bulletin_tui.search.filters import allowed as allowed_by
from bulletin_tui.search.hits import make_hits
from bulletin_tui.search.pipeline import PAGE
from bulletin_tui.search.query import Query, Term, parse_query
from bulletin_tui.search.scoring import TEXT, TIER_STEP
from bulletin_tui.search.stage_titles import TitleStructures
from bulletin_tui.search.stage_words import words
from bulletin_tui.search.suggest import Suggestions
from bulletin_tui.search.terms import Terms

if TYPE_CHECKING:
    from bulletin_tui.search.documents import Documents

__all__ = ["PAGE", "TEXT", "TIER_STEP", "Engine"]


class Engine:
    """Search over the cached articles of `issues` (newest first)."""

    def __init__(
        self,
        index: Any,  # search.postings.GramIndex, or search.overlay.Overlay over two
        documents: Documents,
        issues: Sequence[Issue],
        tagged: Tagged | None = None,
        publications: Mapping[str, str] | None = None,  # issue id → publication name
    ) -> None:
        self._index = index
        self._documents = documents
        self._issues = issues
        self._tagged = tagged
        self._publication_of = dict(publications or {})
        self._lock = threading.RLock()
        self._ready: tuple[Catalog, Terms, TitleStructures] | None = None

    def prepare(self) -> None:
        """Read what every search needs (the catalog of every article): once, on first use."""
        self._parts()

    def _parts(self) -> tuple[Catalog, Terms, TitleStructures]:
        with self._lock:
            if self._ready is None:
                catalog = Catalog(self._index, self._documents, self._issues, self._publication_of)
                self._ready = (catalog, Terms(catalog), TitleStructures(catalog))
            return self._ready

    @property
    def terms(self) -> Terms:
        return self._parts()[1]

    def warm_titles(self) -> None:
        """Build what near-miss titles and pinyin need (tens of ms over 10,000 titles), now."""
        self._parts()[2].warm()

    def is_warm(self) -> bool:
        """Whether the catalog and the titles' structures are built (by `prepare()` and
        `warm_titles()`, or by searches that needed them)."""
        with self._lock:
            return self._ready is not None and self._ready[2].is_built()

    def load_bodies(self) -> None:
        """Hold every folded body in memory, so checking candidates never waits on the store: for
        many searches in a row (the insights benchmark). The reader and the command line do without
        it, reading bodies as candidates need them."""
        with self._lock:
            self._parts()[0].bodies.load_all()

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        query = parse_query(text)
        if query.is_empty or limit <= 0:
            return []
        with self._lock:
            catalog, terms, titles = self._parts()
            try:
                scored = pipeline.search(terms, titles, query, limit, self._tagged)
                texts = [term.text for term in query.terms]
                return make_hits(catalog, scored, texts)
            finally:
                terms.forget()

    def count(self, text: str) -> int:
        """How many hits `search(text, limit)` gives with no limit: every article the text matches
        as typed, and when those are fewer than a page, what the lower stages add to fill it."""
        query = parse_query(text)
        if query.is_empty:
            return 0
        with self._lock:
            _, terms, titles = self._parts()
            try:
                matched = len(pipeline.matching(terms, query, self._tagged))
                if matched >= PAGE or not query.terms:
                    return matched
                return len(pipeline.search(terms, titles, query, PAGE, self._tagged))
            finally:
                terms.forget()

    def matching_ids(self, text: str) -> list[str]:
        """Ids of every article the query matches, newest issue first, unranked and unlimited.

        "Matches" is the first stage of `search()`: each term, as typed, in the title, subtitles,
        byline or body, every filter met, no excluded word present. (Words cut apart by jieba and
        near-miss titles are ranking aids, not matches.) Counts and trends are built on this.
        """
        catalog, docs = self._matching(text)
        return catalog.article_ids(docs) if docs else []

    def matching_dates(self, text: str) -> Any:
        """The issue date (a proleptic ordinal, 0 when undated) of each article `matching_ids()`
        finds, as a numpy array: for counting matches by period without making their ids."""
        import numpy as np

        catalog, docs = self._matching(text)
        if catalog is None:
            return np.zeros(0, dtype=np.int64)
        return catalog.dates[np.array(docs, dtype=np.int64)]

    def _matching(self, text: str) -> tuple[Any, list[int]]:
        query = parse_query(text)
        if query.is_empty:
            return None, []
        with self._lock:
            catalog, terms, _ = self._parts()
            terms.every_match = True
            try:
                return catalog, pipeline.matching(terms, query, self._tagged)
            finally:
                terms.every_match = False
                terms.forget()  # counts over every article, per term: not to be kept

    def suggest(self, text: str, titles: int = 3) -> Suggestions:
        """For a query that found nothing: the nearest titles and its words tried apart, both
        within what its filters let through (`pub:`, `date:`…)."""
        import numpy as np

        query = parse_query(text)
        with self._lock:
            catalog, terms, structures = self._parts()
            try:
                tried = words(query) or [term.text for term in query.terms]
                counts = tuple(
                    (word, len(pipeline.matching(terms, _alone(query, word), self._tagged)))
                    for word in tried
                )
                allowed = allowed_by(terms, query, self._tagged) if query.has_filters else None
            finally:
                terms.forget()
            # Pinyin with a letter too many or wrong first, then the titles sharing most pairs;
            # filtered before a few are taken, and each title once (a column's title recurs).
            joined = "".join(term.text for term in query.terms)
            spelt = stage_titles.misspelt(structures, catalog, joined)
            shared = structures.pairs().shared(fuzzy.pair_codes(tried), catalog.n)
            if allowed is not None:
                spelt = [doc for doc in spelt if allowed[doc]]
                shared = np.where(allowed, shared, 0)
            paired = np.argsort(-shared, kind="stable")[: int(np.count_nonzero(shared))]
            chosen: dict[str, int] = {}  # folded title -> its first doc
            for doc in chain(spelt, paired.tolist()):
                chosen.setdefault(catalog.titles.get(doc), doc)
                if len(chosen) == titles:
                    break
            nearest = tuple(catalog.entry(doc)[1].title for doc in chosen.values())
        return Suggestions(text, nearest, counts)


def _alone(query: Query, word: str) -> Query:
    """`word` as a query of its own, under `query`'s filters."""
    return Query(terms=(Term(word),), filters=query.filters, dates=query.dates)
