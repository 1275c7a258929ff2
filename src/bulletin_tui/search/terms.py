"""How often each article holds a term, in its title, its metadata and its body, and how rare the
term is: what every stage of a search ranks by.

The gram index answers every term exactly: one and two characters by their postings, longer ones
by where their bigrams stand (search.index.phrase). Only an article holding one of those bigrams
too often for all its places to be kept is in doubt: its body count is a bound (`loose`), which the
stages check against the text only if it could still rank. Articles not yet indexed are scanned.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bulletin_tui.search.catalog import Catalog
from bulletin_tui.search.index import POSITIONS, gram_codes, phrase
from bulletin_tui.search.joined import units_of

CACHED_POSTINGS = 4096


@dataclass
class Term:
    text: str
    idf: float
    title: Any  # counts per doc (N,)
    meta: Any
    body: Any  # exact count, or an upper bound where `loose`
    loose: Any  # bool per doc: body count is only a bound (needs the text)

    def anywhere(self) -> Any:
        """Per doc: the term is (or, where loose, may be) in the title, metadata or body."""
        return (self.title > 0) | (self.meta > 0) | (self.body > 0)


class Terms:
    """Term counts over a catalog: postings kept across searches, terms for one search."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._postings: OrderedDict[int, tuple[Any, Any]] = OrderedDict()
        self.known: dict[str, Term] = {}  # during one search: cleared by `forget()`
        # Every match is wanted (counts, trends), not a ranked page: see body_counts.
        self.every_match = False

    def term(self, text: str) -> Term:
        """A term's counts per doc; the stages of one search share them."""
        known = self.known.get(text)
        if known is None:
            known = self.known[text] = self._count(text)
        return known

    def forget(self) -> None:
        """Counts span every article (megabytes at 100,000): never kept past a search."""
        self.known = {}

    def _count(self, text: str) -> Term:
        catalog = self.catalog
        n = catalog.n
        title = catalog.titles.counts(text, n)
        meta = catalog.meta.counts(text, n)
        body, loose = self.body_counts(text)
        present = int(((title > 0) | (meta > 0) | (body > 0)).sum())
        idf = math.log(1 + (n - present + 0.5) / (present + 0.5))
        return Term(text, idf, title, meta, body, loose)

    def body_counts(self, text: str) -> tuple[Any, Any]:
        """Per doc: body count of `text` (exact, or an upper bound) and whether it is a bound."""
        import numpy as np

        n = self.catalog.n
        counts = np.zeros(n, dtype=np.int32)
        loose = np.zeros(n, dtype=bool)
        # A ranked page with every body in memory checks only the best-bound candidates, which
        # costs less than placing a bigram held by most articles; every match, or bodies to be
        # read from the store, go by the places of the bigrams.
        placed = self.every_match or not self.catalog.bodies.all_held
        if units_of(text) > 2 and placed:
            if self.catalog.matched:  # else no article is indexed: each is scanned below
                docs, tf, doubt = self._phrase(text)
                counts[docs] = tf
                counts[doubt] = POSITIONS  # a bigram held this often: a bound of the text's count
                loose[doubt] = True
        else:
            postings = sorted(
                (self._posting(code) for code in gram_codes(text)), key=lambda p: len(p[0])
            )
            docs, tf = postings[0]
            for other_docs, other_tf in postings[1:]:
                docs, mine, theirs = np.intersect1d(
                    docs, other_docs, assume_unique=True, return_indices=True
                )
                tf = np.minimum(tf[mine], other_tf[theirs])
                if len(docs) == 0:
                    break
            counts[docs] = tf
            # A bound where the count was clipped, or where the grams may never stand in a row.
            loose[docs] = (tf >= 255) | (units_of(text) > 2)
        for doc, body in self.catalog.bodies.tail.items():
            counts[doc] = body.count(text)
            loose[doc] = False
        return counts, loose

    def _phrase(self, text: str) -> tuple[Any, Any, Any]:
        """For a text of three units or more: the dense docs holding it with their counts, and
        the docs in doubt (see index.phrase), from the places of every other bigram and the last."""
        import numpy as np

        units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
        last = len(units) - 2
        bigrams = [
            (
                offset,
                self.catalog.index.positions(int(units[offset]) << 16 | int(units[offset + 1])),
            )
            for offset in sorted({*range(0, last, 2), last})
        ]
        # An article is in one segment: each segment holding every bigram is matched alone.
        segments = set.intersection(*(set(found) for _, found in bigrams))
        matched = [phrase([(offset, *found[seg]) for offset, found in bigrams]) for seg in segments]
        empty = np.zeros(0, dtype=np.int64)
        numbers, tf, doubt = (
            np.concatenate([empty, *(part[at] for part in matched)]) for at in range(3)
        )
        dense, keep = self._live(numbers)
        doubtful, sure = self._live(doubt)
        return dense[keep], tf[keep], doubtful[sure]

    def _live(self, numbers: Any) -> tuple[Any, Any]:
        """Dense docs of store numbers, and which are live and indexed: entries of removed
        articles (and of articles this engine scans instead) are left out."""
        import numpy as np

        catalog = self.catalog
        dense = np.full(len(numbers), -1, dtype=np.int64)
        inside = numbers < len(catalog.dense)
        dense[inside] = catalog.dense[numbers[inside]]
        keep = dense >= 0
        keep[keep] = catalog.indexed[dense[keep]]
        return dense, keep

    def _posting(self, code: int) -> tuple[Any, Any]:
        """(dense docs sorted, counts) for one gram, indexed live docs only."""
        import numpy as np

        cached = self._postings.get(code)
        if cached is not None:
            self._postings.move_to_end(code)
            return cached
        catalog = self.catalog
        if catalog.matched:
            numbers, tf = catalog.index.posting(code)
        else:
            numbers, tf = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        dense, keep = self._live(numbers)
        docs, counts = dense[keep], tf[keep]
        order = np.argsort(docs, kind="stable")
        result = (docs[order], counts[order])
        self._postings[code] = result
        while len(self._postings) > CACHED_POSTINGS:
            self._postings.popitem(last=False)
        return result
