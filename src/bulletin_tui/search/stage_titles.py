"""The title stages: a title retyped with a character or two wrong or missing (NEAR), sharing most of
the query's character pairs (LOOSE, kept for last), or spelt by an all-Latin query read as pinyin
(SPELT). Their structures over every title are made on first use, or ahead by `warm()`."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from bulletin_tui.search import fuzzy
from bulletin_tui.search.catalog import Catalog
from bulletin_tui.search.filters import Excluded, not_excluded
from bulletin_tui.search.pinyin import PinyinIndex, is_pinyin_query
from bulletin_tui.search.query import Query
from bulletin_tui.search.scoring import LOOSE, NEAR, SPELT, TIER_STEP, Scored, best
from bulletin_tui.search.terms import Terms

STRONG_NEAR = 5  # characters a query needs before a near-miss title outranks words found apart


class TitleStructures:
    """The pair index (near misses) and the pinyin readings (spelt titles) of every title."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._lock = threading.Lock()
        self._pairs: fuzzy.TitlePairs | None = None
        self._pinyin: PinyinIndex | None = None

    def pairs(self) -> fuzzy.TitlePairs:
        with self._lock:
            if self._pairs is None:
                self._pairs = fuzzy.TitlePairs(self._catalog.titles.in_order().pair_index()[0])
            return self._pairs

    def pinyin(self) -> PinyinIndex:
        with self._lock:
            if self._pinyin is None:
                titles = self._catalog.titles.in_order()
                self._pinyin = PinyinIndex(titles.units, titles.unit_starts)
            return self._pinyin

    def warm(self) -> None:
        """Build both now (tens of ms over 10,000 titles), and the bylines' pair index: every term
        of a query is counted in them, and a scan of 100,000 bylines cost 6-26 ms a term (a long
        retyped title cut into ten words spent most of its time there); about 20 MB at 100,000."""
        self.pairs()
        self.pinyin()
        with self._lock:
            self._catalog.meta.warm()

    def is_built(self) -> bool:
        with self._lock:
            return self._pairs is not None and self._pinyin is not None


def near(
    terms: Terms, titles: TitleStructures, query: Query, mask: Any, excluded: Excluded
) -> list[Scored]:
    """NEAR and LOOSE: titles within a few edits of the query, or sharing most of its pairs."""
    words = [term.text for term in query.terms]
    found = fuzzy.find(words, titles.pairs(), terms.catalog.titles.in_order().texts, mask)
    strong = sum(map(len, words)) >= STRONG_NEAR
    scored = []
    for doc in not_excluded(terms, list(found), excluded):
        hit = found[doc]
        if hit.edits is not None and (strong or hit.edits == 0):
            score = NEAR * TIER_STEP + 100 * (3 - hit.edits) + 50 * hit.shared
            scored.append(Scored(NEAR, score, doc, (), "title", (hit.span,)))
        else:
            score = LOOSE * TIER_STEP + 100 * hit.shared
            scored.append(Scored(LOOSE, score, doc, (), "title", (hit.span,)))
    return scored


def spelt(
    terms: Terms,
    titles: TitleStructures,
    query: Query,
    mask: Any,
    excluded: Excluded,
    limit: int,
) -> list[Scored]:
    """SPELT: titles spelt by every term of an all-Latin query, read as pinyin."""
    texts = [term.text for term in query.terms]
    if not all(is_pinyin_query(text) for text in texts):
        return []
    index = titles.pinyin()
    grades: dict[int, int] = {}
    for at, text in enumerate(texts):
        found = index.find(text)
        grades = (
            found if at == 0 else {d: min(g, found[d]) for d, g in grades.items() if d in found}
        )
    docs = [doc for doc in grades if mask[doc]]
    scored = [
        Scored(SPELT, SPELT * TIER_STEP + 100 * grades[doc], doc, (), "pinyin")
        for doc in not_excluded(terms, docs, excluded)
    ]
    # The spans of the titles shown only: each is a small search of its own.
    shown = []
    for hit in best(terms.catalog, scored, limit):
        title = terms.catalog.titles.get(hit.doc)
        found_spans = (index.span(text, hit.doc, title) for text in texts)
        spans = tuple(sorted({span for span in found_spans if span is not None}))
        shown.append(replace(hit, title_spans=spans))
    return shown


def misspelt(titles: TitleStructures, catalog: Catalog, text: str) -> list[int]:
    """For an all-Latin query that spells no title: the titles it spells with one letter left out
    (a letter too many), else the titles its longest start spells (a wrong letter), all of them,
    best first (the caller filters them, then takes a few)."""
    if not is_pinyin_query(text):
        return []
    index = titles.pinyin()
    grades: dict[int, int] = {}
    for variant in dict.fromkeys(text[:at] + text[at + 1 :] for at in range(len(text))):
        if is_pinyin_query(variant):
            for doc, grade in index.find(variant).items():
                grades[doc] = max(grade, grades.get(doc, 0))
    for end in range(len(text) - 1, 2, -1):
        if grades:
            break
        grades = index.find(text[:end])
    scored = [Scored(SPELT, grade, doc, ()) for doc, grade in grades.items()]
    return [hit.doc for hit in best(catalog, scored, len(scored))]
