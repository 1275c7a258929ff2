"""A search as a pipeline of stages, best first, each run only while fewer than a page of hits is
found, so jieba and the fuzzy matchers cost nothing when the text itself is found:

  TEXT     the query text as typed: every term in the title, subtitles/byline or body (stage_text);
  NEAR     a title retyped with one or two characters wrong or missing (stage_titles);
  SPELT    titles spelt by the query's pinyin (stage_titles);
  WORDS    words apart: unspaced Chinese terms cut into words, each word anywhere (stage_words);
  PARTIAL  articles holding most of the words, marked with what they lack (stage_words);
  LOOSE    titles sharing most of the query's character pairs (stage_titles): a query never ends
           on nothing when a title is that close.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bulletin_tui.search import filters, stage_text, stage_titles, stage_words
from bulletin_tui.search.filters import Excluded, Tagged
from bulletin_tui.search.query import Query
from bulletin_tui.search.scoring import LOOSE, NEAR, TEXT, WORDS, Scored, best
from bulletin_tui.search.stage_titles import TitleStructures
from bulletin_tui.search.terms import Terms

PAGE = 20  # the stages below TEXT fill the results up to this many, never beyond


@dataclass
class _Run:
    """One search going down the stages."""

    terms: Terms
    query: Query
    allowed: Any
    excluded: Excluded
    limit: int
    scored: list[Scored] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)

    def wants(self) -> bool:
        return len(self.scored) < self.limit

    def open(self) -> Any:
        return filters.still_open(self.allowed, self.excluded, self.taken)

    def add(self, scored: list[Scored]) -> None:
        self.scored += scored
        self.taken |= {s.doc for s in scored}


def search(
    terms: Terms, titles: TitleStructures, query: Query, limit: int, tagged: Tagged | None
) -> list[Scored]:
    """The best `limit` hits of `query` (of a page at most below the text as typed)."""
    run = _Run(
        terms,
        query,
        filters.allowed(terms, query, tagged),
        filters.excluded(terms, query.excluded),
        limit,
    )
    if not query.terms:
        return _newest(run)
    texts = [term.text for term in query.terms]
    run.add(stage_text.rank(terms, texts, run.allowed, run.excluded, limit, TEXT))
    # What a query finds is the same however many of its hits are asked for (the search pane
    # loads more as the reader scrolls).
    run.limit = max(len(run.scored), min(limit, PAGE))
    # Near-miss and pinyin titles cannot hold a +word or a quoted phrase as typed.
    titles_too = not any(term.required for term in query.terms)
    loose: list[Scored] = []
    if run.wants() and titles_too:
        near = stage_titles.near(terms, titles, query, run.open(), run.excluded)
        loose = [s for s in near if s.tier == LOOSE]
        run.add(
            best(terms.catalog, [s for s in near if s.tier == NEAR], run.limit - len(run.scored))
        )
    if run.wants() and titles_too:
        run.add(stage_titles.spelt(terms, titles, query, run.open(), run.excluded, _room(run)))
    _by_words(run, texts)
    if run.wants():
        run.add(best(terms.catalog, [s for s in loose if s.doc not in run.taken], _room(run)))
    return run.scored


def _room(run: _Run) -> int:
    return run.limit - len(run.scored)


def _by_words(run: _Run, texts: list[str]) -> None:
    """WORDS, then PARTIAL: the words as typed, if spaced; else jieba's, less single characters."""
    cut = stage_words.words(run.query) if run.wants() else None
    if cut is not None:
        run.add(
            stage_text.rank(run.terms, cut, run.open(), run.excluded, _room(run), WORDS, "words")
        )
    if run.wants():
        apart = texts if len(texts) > 1 else [w for w in cut or texts if len(w) > 1]
        run.add(
            stage_words.partial(run.terms, run.query, apart, run.open(), run.excluded, _room(run))
        )


def _newest(run: _Run) -> list[Scored]:
    """A query of filters alone: the newest articles that pass."""
    import numpy as np

    catalog = run.terms.catalog
    docs = np.flatnonzero(run.allowed & ~run.excluded.surely)
    order = np.lexsort((docs, -catalog.dates[docs]))[: run.limit * 4]
    scored = [Scored(0, 0.0, int(docs[k]), ()) for k in order]
    if run.excluded.to_check:
        bodies = catalog.bodies.folded([s.doc for s in scored])
        words = run.excluded.to_check
        scored = [s for s in scored if not any(w in bodies.get(s.doc, "") for w in words)]
    return scored[: run.limit]


def matching(terms: Terms, query: Query, tagged: Tagged | None) -> list[int]:
    """Every doc the query matches as typed (the TEXT stage, unranked and unlimited)."""
    import numpy as np

    match = filters.allowed(terms, query, tagged)
    excluded = filters.excluded(terms, query.excluded)
    match &= ~excluded.surely
    counted = [terms.term(term.text) for term in query.terms]
    check = np.zeros(terms.catalog.n, dtype=bool)
    for term in counted:
        match &= term.anywhere()
        # Only the body can be in doubt: the title and metadata counts are exact.
        check |= term.loose & (term.title == 0) & (term.meta == 0)
    if excluded.to_check:
        check[:] = True
    docs = np.flatnonzero(match)
    doubtful = [int(doc) for doc in docs[check[docs]]]
    failed: set[int] = set()
    for start in range(0, len(doubtful), 1000):
        batch = doubtful[start : start + 1000]
        bodies = terms.catalog.bodies.folded(batch)
        for doc in batch:
            body = bodies.get(doc, "")
            if any(word in body for word in excluded.to_check) or not all(
                term.title[doc] or term.meta[doc] or term.text in body for term in counted
            ):
                failed.add(doc)
    return [int(doc) for doc in docs if int(doc) not in failed]
