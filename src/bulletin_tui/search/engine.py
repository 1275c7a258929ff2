"""Ranked search over a cached library.

Tiers, best first, each filled only while fewer than `limit` hits are found, so jieba and the fuzzy
matchers cost nothing when the text itself is found:
  TEXT     the query text as typed: every term a substring of the title, subtitles/byline or body;
  NEAR     a title retyped with one or two characters wrong or missing (fuzzy.py);
  SPELT    titles spelt by the query's pinyin (pinyin.py);
  WORDS    words apart: unspaced Chinese terms cut into words with jieba, each word anywhere;
  PARTIAL  articles holding most of the words (every +word and phrase), marked with what they lack;
  LOOSE    titles sharing most of the query's character pairs: a query never ends on nothing when
           a title is that close.
Within a tier, BM25-like: each term weighs by rarity (idf), title > subtitle/byline > body, saturating
in repeats; ties go to the newer issue.

Bodies are searched through the gram index (search.postings, a file of its own); articles not yet
indexed are scanned. Bodies and titles come from the store through search.documents.Documents.
One- and two-character terms are answered by the index exactly; for longer ones the index gives an
upper bound of each article's count, candidates are taken best bound first, and checked against the
text only until no unchecked one can beat the hits in hand.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from bulletin_tui.chinese_characters import has_han
from bulletin_tui.model import Article, Hit, Issue
from bulletin_tui.search import fuzzy, snippet
from bulletin_tui.search.folding import fold
from bulletin_tui.search.index import gram_codes
from bulletin_tui.search.pinyin import PinyinIndex, is_pinyin_query
from bulletin_tui.search.query import Query, parse_query
from bulletin_tui.search.suggest import Suggestions

if TYPE_CHECKING:
    from bulletin_tui.search.documents import Documents
    from bulletin_tui.search.postings import GramIndex

K1, B = 1.2, 0.75
W_TITLE, W_META, W_BODY = 3.0, 1.5, 1.0
TIER_STEP = 1000.0  # scores of a higher tier start here above the tier below
TEXT, NEAR, SPELT, WORDS, PARTIAL, LOOSE = 6, 5, 4, 3, 2, 1
STRONG_NEAR = 5  # characters a query needs before a near-miss title outranks words found apart
PAGE = 20  # the tiers below TEXT fill the results up to this many, never beyond
_DOC_BITS = fuzzy.DOC_BITS  # texts a _Joined can hold: 16 M
BATCH = 32  # bodies fetched at a time while checking candidates
_CACHED_BODIES = 2048
_CACHED_POSTINGS = 4096


@dataclass(frozen=True, slots=True)
class Scored:
    tier: int
    score: float
    doc: int  # dense index
    terms: tuple[str, ...]  # what to highlight in the body
    match: str = "text"  # see Hit.match
    title_spans: tuple[tuple[int, int], ...] = ()  # for near-miss and pinyin titles
    missing: tuple[str, ...] = ()


@dataclass
class _Term:
    text: str
    idf: float
    title: Any  # counts per doc (N,)
    meta: Any
    body: Any  # exact count, or an upper bound where `loose`
    loose: Any  # bool per doc: body count is only a bound (needs the text)


def _units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class Engine:
    """Search over the cached articles of `issues` (newest first)."""

    def __init__(
        self,
        index: GramIndex,
        documents: Documents,
        issues: Sequence[Issue],
        tagged: Callable[[str], Collection[str]] | None = None,
        publications: Mapping[str, str] | None = None,  # issue id → publication name
    ) -> None:
        self._index = index
        self._documents = documents
        self._tagged = tagged  # `tag:X`: the ids of articles whose keywords include X
        self._publication_of = dict(publications or {})
        self._lock = threading.RLock()
        self._issues = issues
        self._ready = False
        self._bodies: OrderedDict[int, str] = OrderedDict()
        self._postings: OrderedDict[int, tuple[Any, Any]] = OrderedDict()
        self._pinyin: PinyinIndex | None = None
        self._pairs: fuzzy.TitlePairs | None = None
        self._terms: dict[str, _Term] = {}  # during one search
        self._all_bodies: dict[int, str] | None = None

    # --- preparing ------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Load what every search needs (about 10,000 articles' metadata): once, on first use."""
        with self._lock:
            if not self._ready:
                self._prepare()
                self._ready = True

    def _prepare(self) -> None:
        import numpy as np

        self.entries: list[tuple[Issue, Article]] = []
        self._numbers: list[int] = []
        for issue in self._issues:
            for article in issue.articles:
                # Articles from the store carry their number there (store.lazy.CachedArticle).
                doc = getattr(article, "doc", None)
                if isinstance(doc, int):
                    self.entries.append((issue, article))
                    self._numbers.append(doc)

        n = len(self.entries)
        self.n = n
        numbers = np.array(self._numbers, dtype=np.int64)
        top = int(numbers.max()) + 1 if n else 1
        self.dense = np.full(top, -1, dtype=np.int64)
        self.dense[numbers] = np.arange(n)
        self.length = np.ones(n, dtype=np.float64)
        self.indexed = np.zeros(n, dtype=bool)
        # An index built from another store (one made afresh numbers from 1 again) is not used.
        self._matched = self._index.source() == self._documents.identity()
        if self._matched:
            numbers_in, lengths = self._index.lengths()
            inside = numbers_in < top
            numbers_in, lengths = numbers_in[inside], lengths[inside]
            dense_in = self.dense[numbers_in]
            known = dense_in >= 0
            self.indexed[dense_in[known]] = True
            self.length[dense_in[known]] = np.maximum(1, lengths[known])
        tail = np.flatnonzero(~self.indexed).tolist()
        self.average_length = float(self.length.mean()) if n else 1.0
        self.dates = np.array(
            [issue.date.toordinal() if issue.date else 0 for issue, _ in self.entries],
            dtype=np.int64,
        )
        self.titles = _Joined([article.title for _, article in self.entries])
        self.meta = _Joined(
            [
                "\t".join((*a.subtitles, a.dateline or "", a.byline or "", *a.photo_credits))
                for _, a in self.entries
            ]
        )
        self.authors = _Joined(["\t".join(article.authors) for _, article in self.entries])
        self.sections = _Joined([article.section or "" for _, article in self.entries])
        self.publications = _Joined(
            [self._publication_of.get(issue.id, "") for issue, _ in self.entries]
        )
        # Articles not in the index yet are scanned: keep their folded bodies at hand.
        self.tail = {i: fold(body) for i, body in self._fetch([self._numbers[i] for i in tail])}
        for i, body in self.tail.items():
            self.length[i] = max(1, len(body))
        if n:
            self.average_length = float(self.length.mean())

    def _fetch(self, numbers: Sequence[int]) -> list[tuple[int, str]]:
        bodies = self._documents.bodies(numbers)
        return [(int(self.dense[doc]), body) for doc, body in bodies.items()]

    def load_bodies(self) -> None:
        """Hold every folded body in memory (about twice the text's size), so checking candidates
        never waits on the cache file: for many searches in a row (the insights benchmark). The
        reader and the command line do without it, reading bodies as candidates need them."""
        with self._lock:
            self.prepare()
            if self._all_bodies is not None:
                return
            bodies: dict[int, str] = dict(self.tail)
            numbers = [n for i, n in enumerate(self._numbers) if i not in bodies]
            for start in range(0, len(numbers), 1000):
                for i, body in self._fetch(numbers[start : start + 1000]):
                    bodies[i] = fold(body)
            self._all_bodies = bodies

    def folded_body(self, docs: Sequence[int]) -> dict[int, str]:
        """Folded bodies of dense docs: from memory if all are loaded, else through a small cache."""
        if self._all_bodies is not None:
            everything = self._all_bodies
            return {i: everything[i] for i in docs if i in everything}
        found: dict[int, str] = {}
        missing = []
        for i in docs:
            if i in self.tail:
                found[i] = self.tail[i]
            elif i in self._bodies:
                self._bodies.move_to_end(i)
                found[i] = self._bodies[i]
            else:
                missing.append(self._numbers[i])
        for i, body in self._fetch(missing):
            found[i] = self._bodies[i] = fold(body)
        while len(self._bodies) > _CACHED_BODIES:
            self._bodies.popitem(last=False)
        return found

    # --- term statistics ------------------------------------------------------------------------

    def _posting(self, code: int) -> tuple[Any, Any]:
        """(dense docs sorted, counts) for one gram, live docs only."""
        import numpy as np

        cached = self._postings.get(code)
        if cached is not None:
            self._postings.move_to_end(code)
            return cached
        if self._matched:
            numbers, tf = self._index.posting(code)
        else:
            numbers, tf = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        inside = numbers < len(self.dense)
        numbers, tf = numbers[inside], tf[inside]
        dense = self.dense[numbers]
        # Entries of removed articles (and of articles this engine scans instead) are left out.
        keep = dense >= 0
        keep[keep] = self.indexed[dense[keep]]
        docs, counts = dense[keep], tf[keep]
        order = np.argsort(docs, kind="stable")
        result = (docs[order], counts[order])
        self._postings[code] = result
        while len(self._postings) > _CACHED_POSTINGS:
            self._postings.popitem(last=False)
        return result

    def _body_counts(self, text: str) -> tuple[Any, Any]:
        """Per doc: body count of `text` (exact, or an upper bound) and whether it is a bound."""
        import numpy as np

        counts = np.zeros(self.n, dtype=np.int32)
        loose = np.zeros(self.n, dtype=bool)
        codes = gram_codes(text)
        postings = sorted((self._posting(code) for code in codes), key=lambda p: len(p[0]))
        docs, tf = postings[0]
        for other_docs, other_tf in postings[1:]:
            docs, mine, theirs = np.intersect1d(
                docs, other_docs, assume_unique=True, return_indices=True
            )
            tf = np.minimum(tf[mine], other_tf[theirs])
            if len(docs) == 0:
                break
        counts[docs] = tf
        if _units(text) > 2:
            # A bound: each gram is there, maybe never in a row. (Clipped counts are bounds too.)
            loose[docs] = True
        else:
            loose[docs] = tf >= 255
        for i, body in self.tail.items():
            counts[i] = body.count(text)
            loose[i] = False
        return counts, loose

    def _term(self, text: str) -> _Term:
        """A term's counts per doc; the tiers of one search share them."""
        known = self._terms.get(text)
        if known is None:
            known = self._terms[text] = self._count(text)
        return known

    def _count(self, text: str) -> _Term:
        title = self.titles.counts(text, self.n)
        meta = self.meta.counts(text, self.n)
        body, loose = self._body_counts(text)
        present = int(((title > 0) | (meta > 0) | (body > 0)).sum())
        idf = math.log(1 + (self.n - present + 0.5) / (present + 0.5))
        return _Term(text, idf, title, meta, body, loose)

    # --- filters --------------------------------------------------------------------------------

    def _allowed(self, query: Query) -> Any:
        import numpy as np

        allowed = np.ones(self.n, dtype=bool)
        for value in query.title:
            allowed &= self.titles.counts(value, self.n) > 0
        for value in query.author:
            allowed &= self.authors.counts(value, self.n) > 0
        for value in query.section:
            allowed &= self.sections.counts(value, self.n) > 0
        for value in query.tags:
            ids = set(self._tagged(value)) if self._tagged is not None else set()
            allowed &= np.array([article.id in ids for _, article in self.entries], dtype=bool)
        for value in query.publication:
            allowed &= self.publications.counts(value, self.n) > 0
        for start, end in query.dates:
            if start is not None:
                allowed &= self.dates >= start.toordinal()
            if end is not None:
                allowed &= self.dates <= end.toordinal()
            allowed &= self.dates > 0
        return allowed

    def _excluded(self, words: Sequence[str]) -> tuple[Any, list[str]]:
        """Docs surely excluded, and the long words whose body matches need the text to decide."""
        import numpy as np

        surely = np.zeros(self.n, dtype=bool)
        to_check: list[str] = []
        for word in words:
            surely |= self.titles.counts(word, self.n) > 0
            surely |= self.meta.counts(word, self.n) > 0
            body, loose = self._body_counts(word)
            surely |= (body > 0) & ~loose
            if loose.any():
                to_check.append(word)
        return surely, to_check

    # --- scoring --------------------------------------------------------------------------------

    def _score(self, terms: Sequence[_Term], docs: Any, body: Sequence[Any]) -> Any:
        """Scores of `docs` given body counts (one array per term, aligned with docs)."""
        length = self.length[docs]
        norm = K1 * (1 - B + B * length / self.average_length)
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

    def _rank(
        self,
        texts: Sequence[str],
        allowed: Any,
        excluded: tuple[Any, list[str]],
        limit: int,
        tier: int,
        how: str = "text",
    ) -> list[Scored]:
        import numpy as np

        terms = [self._term(text) for text in texts]
        match = allowed & ~excluded[0]
        for term in terms:
            match &= (term.title > 0) | (term.meta > 0) | (term.body > 0)
        docs = np.flatnonzero(match)
        if len(docs) == 0:
            return []
        bound = self._score(terms, docs, [term.body[docs] for term in terms])
        check = np.zeros(len(docs), dtype=bool)
        for term in terms:
            check |= term.loose[docs]
        if excluded[1]:
            check[:] = True
        order = self._best_first(docs, bound, limit)
        heap: list[tuple[float, int, int]] = []  # (score, date, -doc): the worst hit on top
        at = 0
        while True:
            if at >= len(order):
                if len(order) == len(docs):
                    break
                # The head ran out before the hits were settled: the rest, in the same order.
                order = self._best_first(docs, bound, len(docs))
            if len(heap) >= limit and heap[0][0] > bound[order[at]] + 1e-9:
                break  # nothing left can beat the hits in hand
            batch = order[at : at + BATCH]
            at += BATCH
            texts_needed = [int(docs[k]) for k in batch if check[k]]
            bodies = self.folded_body(texts_needed) if texts_needed else {}
            held: list[int] = []  # checked docs that hold every term, and their body counts
            held_counts: list[list[int]] = []
            for k in batch:
                doc = int(docs[k])
                if not check[k]:
                    self._push(heap, (float(bound[k]), int(self.dates[doc]), -doc), limit)
                    continue
                body = bodies.get(doc, "")
                if any(word in body for word in excluded[1]):
                    continue
                counts = [body.count(term.text) for term in terms]
                if all(
                    t.title[doc] or t.meta[doc] or c for t, c in zip(terms, counts, strict=True)
                ):
                    held.append(doc)
                    held_counts.append(counts)
            if held:  # scored together: one numpy pass a batch, not one a doc
                columns = list(np.array(held_counts, dtype=np.int64).T)
                scores = self._score(terms, np.array(held), columns)
                for doc, score in zip(held, scores.tolist(), strict=True):
                    self._push(heap, (score, int(self.dates[doc]), -doc), limit)
        ranked = sorted(heap, reverse=True)
        step = tier * TIER_STEP
        return [
            Scored(tier, step + min(s, TIER_STEP - 1), -d, tuple(texts), how) for s, _, d in ranked
        ]

    def _best_first(self, docs: Any, bound: Any, limit: int) -> Any:
        """Positions in `docs` by bound (best first), newer first among equals: all of them, or,
        when there are many, just every doc at least as good as the few-times-`limit`-th."""
        import numpy as np

        head = 4 * limit + 64
        if len(docs) > 2 * head:
            threshold = np.partition(bound, len(bound) - head)[len(bound) - head]
            chosen = np.flatnonzero(bound >= threshold)
            inner = np.lexsort((docs[chosen], -self.dates[docs[chosen]], -bound[chosen]))
            return chosen[inner]
        return np.lexsort((docs, -self.dates[docs], -bound))

    @staticmethod
    def _push(heap: list[tuple[float, int, int]], item: tuple[float, int, int], limit: int) -> None:
        if len(heap) < limit:
            heapq.heappush(heap, item)
        elif item > heap[0]:
            heapq.heapreplace(heap, item)

    # --- the tiers ------------------------------------------------------------------------------

    def warm_titles(self) -> None:
        """Build what near-miss titles and pinyin need (tens of ms over 10,000 titles), now."""
        with self._lock:
            self.prepare()
            self._title_pairs()
            self._title_pinyin()
            # Bylines are longer than titles and counted less often: scanned, their pair index
            # would cost more memory than it saves time.

    def _title_pairs(self) -> fuzzy.TitlePairs:
        if self._pairs is None:
            self._pairs = fuzzy.TitlePairs(self.titles.pair_index()[0])
        return self._pairs

    def _title_pinyin(self) -> PinyinIndex:
        if self._pinyin is None:
            self._pinyin = PinyinIndex(self.titles.units, self.titles.unit_starts)
        return self._pinyin

    def _open(self, allowed: Any, excluded: tuple[Any, list[str]], taken: set[int]) -> Any:
        """Docs a lower tier may still add: allowed, not surely excluded, not found already."""
        mask = allowed & ~excluded[0]
        if taken:
            mask[list(taken)] = False
        return mask

    def _not_excluded(self, docs: list[int], excluded: tuple[Any, list[str]]) -> list[int]:
        if not excluded[1] or not docs:
            return docs
        bodies = self.folded_body(docs)
        return [doc for doc in docs if not any(w in bodies.get(doc, "") for w in excluded[1])]

    def _near(self, query: Query, mask: Any, excluded: tuple[Any, list[str]]) -> list[Scored]:
        """NEAR and LOOSE: titles within a few edits of the query, or sharing most of its pairs."""
        words = [term.text for term in query.terms]
        found = fuzzy.find(words, self._title_pairs(), self.titles.texts, mask)
        strong = sum(map(len, words)) >= STRONG_NEAR
        scored = []
        for doc in self._not_excluded(list(found), excluded):
            near = found[doc]
            if near.edits is not None and (strong or near.edits == 0):
                score = NEAR * TIER_STEP + 100 * (3 - near.edits) + 50 * near.shared
                scored.append(Scored(NEAR, score, doc, (), "title", (near.span,)))
            else:
                score = LOOSE * TIER_STEP + 100 * near.shared
                scored.append(Scored(LOOSE, score, doc, (), "title", (near.span,)))
        return scored

    def _spelt(
        self, query: Query, mask: Any, excluded: tuple[Any, list[str]], limit: int
    ) -> list[Scored]:
        """SPELT: titles spelt by every term of an all-Latin query, read as pinyin."""
        texts = [term.text for term in query.terms]
        if not all(is_pinyin_query(text) for text in texts):
            return []
        index = self._title_pinyin()
        grades: dict[int, int] | None = None
        for text in texts:
            found = index.find(text)
            grades = (
                found
                if grades is None
                else {d: min(g, found[d]) for d, g in grades.items() if d in found}
            )
        docs = [doc for doc in grades or {} if mask[doc]]
        scored = []
        for doc in self._not_excluded(docs, excluded):
            assert grades is not None
            score = SPELT * TIER_STEP + 100 * grades[doc]
            scored.append(Scored(SPELT, score, doc, (), "pinyin"))
        scored = self._best(scored, limit)
        # The spans of the titles shown only: each is a small search of its own.
        shown = []
        for hit in scored:
            title = self.titles.texts[hit.doc]
            spelt = (index.span(text, hit.doc, title) for text in texts)
            spans = tuple(sorted({span for span in spelt if span is not None}))
            shown.append(replace(hit, title_spans=spans))
        return shown

    def _partial(
        self, query: Query, words: list[str], mask: Any, excluded: tuple[Any, list[str]], limit: int
    ) -> list[Scored]:
        """PARTIAL: articles holding most of `words` and every required term, ranked by how much of
        the query they hold, then BM25; each marked with the words it lacks."""
        import numpy as np

        required = {term.text for term in query.terms if term.required}
        terms = [self._term(word) for word in dict.fromkeys(words)]
        if len(terms) < 2:
            return []
        present = [(t.title > 0) | (t.meta > 0) | (t.body > 0) for t in terms]
        held = np.sum(present, axis=0)
        need = max(1, (len(terms) + 1) // 2)
        candidate = mask & (held >= need) & (held < len(terms))
        for term, here in zip(terms, present, strict=True):
            if term.text in required:
                candidate &= here
        docs = np.flatnonzero(candidate)
        if not len(docs):
            return []
        bound = held[docs] * TIER_STEP + self._score(terms, docs, [t.body[docs] for t in terms])
        chosen = docs[np.lexsort((docs, -self.dates[docs], -bound))[: 3 * limit + 16]]
        # Body counts, exact where the index gave only a bound (and every text, to exclude words).
        counts = np.stack([t.body[chosen] for t in terms]).astype(np.int64)
        title_or_meta = np.stack([(t.title[chosen] > 0) | (t.meta[chosen] > 0) for t in terms])
        unsure = np.stack([t.loose[chosen] for t in terms]) & ~title_or_meta
        read = unsure.any(axis=0) | bool(excluded[1])
        dropped = np.zeros(len(chosen), dtype=bool)
        bodies = self.folded_body([int(d) for d in chosen[read]])
        for c in np.flatnonzero(read).tolist():
            body = bodies.get(int(chosen[c]), "")
            dropped[c] = any(w in body for w in excluded[1])
            for t in np.flatnonzero(unsure[:, c]).tolist():
                counts[t, c] = body.count(terms[t].text)
        has = title_or_meta | (counts > 0)
        held_now = has.sum(axis=0)
        keep = ~dropped & (held_now >= need)
        for t, term in enumerate(terms):
            if term.text in required:
                keep &= has[t]
        bm25 = self._score(terms, chosen, list(counts))
        scores = PARTIAL * TIER_STEP + 500 * held_now / len(terms) + np.minimum(bm25, 499)
        scored = []
        for c in np.flatnonzero(keep).tolist():
            matched = tuple(t.text for t, h in zip(terms, has[:, c], strict=True) if h)
            missing = tuple(t.text for t, h in zip(terms, has[:, c], strict=True) if not h)
            doc = int(chosen[c])
            scored.append(Scored(PARTIAL, float(scores[c]), doc, matched, "partial", (), missing))
        scored.sort(key=lambda s: (-s.score, -int(self.dates[s.doc]), s.doc))
        return scored[:limit]

    def _words(self, query: Query) -> list[str] | None:
        """The query's terms with unspaced Chinese cut into words; None if nothing was cut."""
        texts: list[str] = []
        cut = False
        for term in query.terms:
            if term.required or len(term.text) < 3 or not has_han(term.text):
                texts.append(term.text)
                continue
            from bulletin_tui import chinese_words

            words = [fold(word) for word in chinese_words.words(term.text)]
            words = [word for word in words if any(char.isalnum() for char in word)]
            if len(words) > 1:
                cut = True
                texts.extend(dict.fromkeys(words))
            else:
                texts.append(term.text)
        return texts if cut else None

    def matching_ids(self, text: str) -> list[str]:
        """Ids of every article the query matches, newest issue first, unranked and unlimited.

        "Matches" is the first tier of `search()`: each term, as typed, in the title, subtitles,
        byline or body, every filter met, no excluded word present. (Words cut apart by jieba and
        near-miss titles are ranking aids, not matches.) Counts and trends are built on this.
        """
        query = parse_query(text)
        if query.is_empty:
            return []
        with self._lock:
            self.prepare()
            try:
                docs = self._matching(query)
            finally:
                self._terms = {}  # counts over every article, per term: not to be kept
        entries = self.entries
        return [entries[doc][1].id for doc in docs]

    def matching_dates(self, text: str) -> Any:
        """The issue date (a proleptic ordinal, 0 when undated) of each article `matching_ids()`
        finds, as a numpy array: for counting matches by period without making their ids."""
        import numpy as np

        query = parse_query(text)
        if query.is_empty:
            return np.zeros(0, dtype=np.int64)
        with self._lock:
            self.prepare()
            try:
                docs = self._matching(query)
            finally:
                self._terms = {}
            return self.dates[np.array(docs, dtype=np.int64)]

    def _matching(self, query: Query) -> list[int]:
        import numpy as np

        match = self._allowed(query)
        surely_out, to_check = self._excluded(query.excluded)
        match &= ~surely_out
        terms = [self._term(term.text) for term in query.terms]
        check = np.zeros(self.n, dtype=bool)
        for term in terms:
            match &= (term.title > 0) | (term.meta > 0) | (term.body > 0)
            # Only the body can be in doubt: the title and metadata counts are exact.
            check |= term.loose & (term.title == 0) & (term.meta == 0)
        if to_check:
            check[:] = True
        docs = np.flatnonzero(match)
        doubtful = [int(doc) for doc in docs[check[docs]]]
        if not doubtful:
            return [int(doc) for doc in docs]
        failed: set[int] = set()
        for start in range(0, len(doubtful), 1000):
            batch = doubtful[start : start + 1000]
            bodies = self.folded_body(batch)
            for doc in batch:
                body = bodies.get(doc, "")
                if any(word in body for word in to_check) or not all(
                    term.title[doc] or term.meta[doc] or term.text in body for term in terms
                ):
                    failed.add(doc)
        return [int(doc) for doc in docs if int(doc) not in failed]

    def suggest(self, text: str, titles: int = 3) -> Suggestions:
        """For a query that found nothing: the nearest titles and its words tried apart."""
        import numpy as np

        from bulletin_tui.search.query import Term

        query = parse_query(text)
        with self._lock:
            self.prepare()
            words = self._words(query) or [term.text for term in query.terms]
            counts = tuple(
                (word, len(self._matching(Query(terms=(Term(word),))))) for word in words
            )
            shared = self._title_pairs().shared(fuzzy.pair_codes(words), self.n)
            best = [int(d) for d in np.argsort(-shared, kind="stable")[:titles] if shared[d] > 0]
            nearest = tuple(self.entries[doc][1].title for doc in best)
        return Suggestions(text, nearest, counts)

    def count(self, text: str) -> int:
        """How many hits `search(text, limit)` gives with no limit: every article the text matches
        as typed, and when those are fewer than a page, what the lower tiers add to fill it."""
        query = parse_query(text)
        if query.is_empty:
            return 0
        with self._lock:
            self.prepare()
            try:
                matched = len(self._matching(query))
                if matched >= PAGE or not query.terms:
                    return matched
                return len(self._search(query, PAGE))
            finally:
                self._terms = {}

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        query = parse_query(text)
        if query.is_empty or limit <= 0:
            return []
        with self._lock:
            self.prepare()
            try:
                return self._search(query, limit)
            finally:
                self._terms = {}

    def _search(self, query: Query, limit: int) -> list[Hit]:
        import numpy as np

        allowed = self._allowed(query)
        excluded = self._excluded(query.excluded)
        if not query.terms:
            docs = np.flatnonzero(allowed & ~excluded[0])
            order = np.lexsort((docs, -self.dates[docs]))[: limit * 4]
            scored = [Scored(0, 0.0, int(docs[k]), ()) for k in order]
            if excluded[1]:
                bodies = self.folded_body([s.doc for s in scored])
                scored = [
                    s for s in scored if not any(w in bodies.get(s.doc, "") for w in excluded[1])
                ]
            return self._hits(scored[:limit])
        texts = [term.text for term in query.terms]
        scored = self._rank(texts, allowed, excluded, limit, tier=TEXT)
        taken = {s.doc for s in scored}
        # The lower tiers fill a page at most: what a query finds is the same however many of its
        # hits are asked for (the search pane loads more as the reader scrolls).
        limit = max(len(scored), min(limit, PAGE))
        loose: list[Scored] = []
        # Near-miss and pinyin titles cannot hold a +word or a quoted phrase as typed.
        titles_too = not any(term.required for term in query.terms)
        if len(scored) < limit and titles_too:
            near = self._near(query, self._open(allowed, excluded, taken), excluded)
            loose = [s for s in near if s.tier == LOOSE]
            scored += self._best([s for s in near if s.tier == NEAR], limit - len(scored))
            taken |= {s.doc for s in scored}
        if len(scored) < limit and titles_too:
            rest = self._open(allowed, excluded, taken)
            scored += self._spelt(query, rest, excluded, limit - len(scored))
            taken |= {s.doc for s in scored}
        words = self._words(query) if len(scored) < limit else None
        if words is not None:
            rest = self._open(allowed, excluded, taken)
            scored += self._rank(words, rest, excluded, limit - len(scored), WORDS, "words")
            taken |= {s.doc for s in scored}
        if len(scored) < limit:
            # The words as typed, if spaced; else jieba's, less single characters (的, 不).
            apart = texts if len(texts) > 1 else [w for w in words or texts if len(w) > 1]
            rest = self._open(allowed, excluded, taken)
            scored += self._partial(query, apart, rest, excluded, limit - len(scored))
            taken |= {s.doc for s in scored}
        if len(scored) < limit:
            scored += self._best([s for s in loose if s.doc not in taken], limit - len(scored))
        return self._hits(scored, texts)

    def _best(self, scored: list[Scored], limit: int) -> list[Scored]:
        scored.sort(key=lambda s: (-s.score, -int(self.dates[s.doc]), s.doc))
        return scored[:limit]

    # --- hits -----------------------------------------------------------------------------------

    def _hits(self, scored: Sequence[Scored], texts: Sequence[str] = ()) -> list[Hit]:
        originals = self._documents.bodies([self._numbers[s.doc] for s in scored])
        wanted = [s.doc for s in scored if s.terms]
        if self._all_bodies is not None:
            folded = self.folded_body(wanted)
        else:  # what the ranking already folded; the rest is folded from `originals` below
            held = (self.tail.get(doc) or self._bodies.get(doc) for doc in wanted)
            folded = {doc: text for doc, text in zip(wanted, held, strict=True) if text}
        hits = []
        for s in scored:
            issue, article = self.entries[s.doc]
            body = originals.get(self._numbers[s.doc], "")
            if s.terms:
                text = folded.get(s.doc)
                if text is None:  # neither in memory nor in the small cache: fold it now
                    text = folded[s.doc] = fold(body)
                # Single characters cut out of a longer query (的, 与) would light up the whole
                # text: highlight the words, unless there is nothing else.
                shown = [term for term in s.terms if len(term) > 1] or s.terms
                spans = snippet.occurrences(text, shown)
                centre = _centre(text, shown, spans)
            else:
                spans, centre = [], None
            cut, inside = snippet.cut(body, spans, centre)
            if s.title_spans:
                title_spans = s.title_spans
            else:
                shown_title = [term for term in s.terms if len(term) > 1] or s.terms
                title_spans = tuple(snippet.occurrences(self.titles.texts[s.doc], shown_title))
            matched = tuple(texts) if s.match == "text" else s.terms
            hits.append(
                Hit(
                    article_id=article.id,
                    issue_id=issue.id,
                    issue_path=issue.path,
                    date=issue.date,
                    publication=self._publication_of.get(issue.id),
                    section=article.section,
                    title=article.title,
                    score=round(s.score, 4),
                    snippet=cut,
                    spans=inside,
                    text_spans=tuple(spans),
                    title_spans=title_spans,
                    match=s.match,
                    matched=matched,
                    missing=s.missing,
                )
            )
        return hits


def _centre(
    body: str, terms: Sequence[str], spans: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The best match: the first place the whole query occurs in a row, else the first match of
    its rarest term found in the body."""
    if not spans:
        return None
    if len(terms) == 1:
        return spans[0]
    whole = "".join(terms)
    at = body.find(whole)
    if at >= 0:
        return at, at + len(whole)
    found = Counter(body[start:end] for start, end in spans)
    best = min(found, key=lambda term: (found[term], -len(term)))
    return next(span for span in spans if body[span[0] : span[1]] == best)


class _Joined:
    """Short folded strings (titles, bylines), joined for fast counting."""

    def __init__(self, texts: Sequence[str]) -> None:
        import numpy as np

        from bulletin_tui.search.folding import fold_units

        cleaned = [text.replace("\n", " ") for text in texts]
        self.text = fold("\n".join(cleaned))
        # The same as UTF-16 code units, where one-character needles are counted all at once.
        self.units = fold_units("\n".join(cleaned))
        self.unit_starts = np.flatnonzero(self.units == 10) + 1
        self.unit_starts = np.concatenate(([0], self.unit_starts))
        self.texts = self.text.split("\n")  # each folded text, as a list
        self.starts = np.cumsum([0] + [len(text) + 1 for text in self.texts[:-1]])
        self._pair_keys: Any = (
            None  # (pair of code units << _DOC_BITS | text), sorted: built on use
        )
        self._pair_counts: Any = None

    def counts(self, needle: str, n: int) -> Any:
        """Occurrences of `needle` (overlapping) in each text."""
        import numpy as np

        if "\n" in needle or not needle:
            return np.zeros(n, dtype=np.int32)
        if len(needle) == 1 and ord(needle) < 0x10000:
            where = np.flatnonzero(self.units == ord(needle))
            owners = np.searchsorted(self.unit_starts, where, side="right") - 1
            return np.bincount(owners, minlength=n).astype(np.int32)
        if self._pair_keys is None:  # not built yet (warm_titles builds it): scan the text
            return self._scan(needle, n)
        # Longer: the texts holding every pair of the needle, from the pair index; a pair's count
        # is exact, a longer needle's is checked in each such text.
        docs: Any = None
        bound: Any = None
        for code in gram_codes(needle):
            found, counts = self._pair(code)
            if docs is None:
                docs, bound = found, counts
            else:
                docs, mine, theirs = np.intersect1d(
                    docs, found, assume_unique=True, return_indices=True
                )
                bound = np.minimum(bound[mine], counts[theirs])
            if not len(docs):
                return np.zeros(n, dtype=np.int32)
        out = np.zeros(n, dtype=np.int32)
        if _units(needle) == 2:
            out[docs] = bound
            return out
        texts = self.texts
        for doc in docs.tolist():
            text, count = texts[doc], 0
            at = text.find(needle)
            while at >= 0:
                count += 1
                at = text.find(needle, at + 1)
            out[doc] = count
        return out

    def _scan(self, needle: str, n: int) -> Any:
        """Occurrences of `needle` in each text, found in the joined text."""
        import numpy as np

        positions = []
        at = self.text.find(needle)
        while at >= 0:
            positions.append(at)
            at = self.text.find(needle, at + 1)
        if not positions:
            return np.zeros(n, dtype=np.int32)
        owners = np.searchsorted(self.starts, np.array(positions), side="right") - 1
        return np.bincount(owners, minlength=n).astype(np.int32)

    def _pair(self, code: int) -> tuple[Any, Any]:
        """(texts holding the pair of code units `code`, sorted; how often each holds it)."""
        import numpy as np

        keys, counts = self.pair_index()
        low = np.searchsorted(keys, np.uint64(code << _DOC_BITS))
        high = np.searchsorted(keys, np.uint64((code + 1) << _DOC_BITS))
        docs = (keys[low:high] & np.uint64((1 << _DOC_BITS) - 1)).astype(np.int64)
        return docs, counts[low:high]

    def pair_index(self) -> tuple[Any, Any]:
        """Every (pair of code units << _DOC_BITS | text) key, sorted, and its count; built once."""
        import numpy as np

        if self._pair_keys is None:
            units = self.units.astype(np.uint64)
            where = np.flatnonzero((self.units[:-1] != 10) & (self.units[1:] != 10))
            owners = np.searchsorted(self.unit_starts, where, side="right") - 1
            pairs = (units[:-1][where] << np.uint64(16)) | units[1:][where]
            keys = (pairs << np.uint64(_DOC_BITS)) | owners.astype(np.uint64)
            self._pair_keys, counts = np.unique(keys, return_counts=True)
            self._pair_counts = counts.astype(np.int32)
        return self._pair_keys, self._pair_counts
