"""What the engine knows of every article, column by column, in the library's order (newest issue
first): its number, issue and place there, date, body length, and its title, metadata, authors,
section and publication as folded texts to count in.

Opening a large library must not build its articles: the numbers come from each issue's list of
them (`doc_numbers`, from the store), the texts and lengths from the index's own catalog (a few rows
per segment), and only articles the index does not hold yet are read from the store (and their
bodies kept, folded, to scan). Articles are made when a hit shows them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from bulletin_tui.model import Article, Issue, article_count
from bulletin_tui.search.bodies import Bodies
from bulletin_tui.search.catalog_texts import CatalogTexts
from bulletin_tui.search.joined import Joined

if TYPE_CHECKING:
    from bulletin_tui.search.documents import Documents
    from bulletin_tui.search.index_catalog import Columns

FIELDS = ("titles", "meta", "authors", "sections")


class Catalog:
    def __init__(
        self,
        index: Any,  # GramIndex or Overlay: source(), catalog(), posting()
        documents: Documents,
        issues: Sequence[Issue],
        publications: Mapping[str, str],
    ) -> None:
        self.index = index
        self.issues = issues
        self._publication_of = publications
        self._place(issues)
        # An index built from another store (one made afresh numbers from 1 again) is not used.
        self.matched = index.source() == documents.identity()
        columns = index.catalog(("titles", "meta")) if self.matched else None
        source = self._mark_indexed(columns)
        self.bodies = Bodies(documents, self.numbers, self.dense)
        self._tail: dict[int, tuple[str, ...]] = {}  # dense doc → its texts, FIELDS' order
        self._fill_tail()
        self.average_length = float(self.length.mean()) if self.n else 1.0
        self.titles = self._texts(columns, source, "titles")
        self.meta = self._texts(columns, source, "meta")

    def _place(self, issues: Sequence[Issue]) -> None:
        """Numbers, issue and place in it of every article, in the library's order."""
        import numpy as np

        counts, self.numbers, self.position = _numbered(issues)
        self.n = n = len(self.numbers)
        self.issue_at = np.repeat(np.arange(len(issues)), counts)
        days = [issue.date.toordinal() if issue.date else 0 for issue in issues]
        self.dates = np.repeat(np.array(days, dtype=np.int64), counts)
        top = int(self.numbers.max()) + 1 if n else 1
        self.dense = np.full(top, -1, dtype=np.int64)
        self.dense[self.numbers] = np.arange(n)
        self.length = np.ones(n, dtype=np.float64)
        self.indexed = np.zeros(n, dtype=bool)

    def _source(self, columns: Columns | None) -> Any:
        """Per dense doc, its place among the index's `columns` (-1: not there)."""
        import numpy as np

        source = np.full(self.n, -1, dtype=np.int64)
        if columns is not None and len(columns.numbers):
            inside = np.flatnonzero(columns.numbers < len(self.dense))
            dense = self.dense[columns.numbers[inside]]
            known = dense >= 0
            source[dense[known]] = inside[known]
        return source

    def _mark_indexed(self, columns: Columns | None) -> Any:
        """Which docs the index holds, and their body lengths; returns `_source(columns)`."""
        import numpy as np

        source = self._source(columns)
        self.indexed = source >= 0
        if columns is not None:
            where = np.flatnonzero(self.indexed)
            self.length[where] = np.maximum(1, columns.lengths[source[where]])
        return source

    def _texts(self, columns: Columns | None, source: Any, name: str) -> CatalogTexts:
        """The texts `name` of every doc: the index's as stored, the tail's from the store."""
        stored = None
        if columns is not None and len(columns.numbers):
            stored = Joined((), folded=columns.units(name))
        at = FIELDS.index(name)
        tail_docs = sorted(self._tail)
        tail = [self._tail[doc][at] for doc in tail_docs]
        return CatalogTexts(stored, source, tail, tail_docs)

    def _later(self, name: str) -> CatalogTexts:
        """A column not needed by every search (authors, sections), read on first use."""
        columns = self.index.catalog((name,)) if self.matched else None
        return self._texts(columns, self._source(columns), name)

    def _fill_tail(self) -> None:
        """Articles the index does not hold yet: read from the store, their bodies kept to scan."""
        import numpy as np

        tail = np.flatnonzero(~self.indexed)
        if not len(tail):
            return
        for document in self.bodies.load_tail(self.numbers[tail].tolist()):
            doc = int(self.dense[document.number])
            values = (document.title, document.meta, document.authors, document.section)
            self._tail[doc] = tuple(value.replace("\n", " ") for value in values)
            self.length[doc] = max(1, len(document.body))

    @cached_property
    def authors(self) -> CatalogTexts:
        return self._later("authors")

    @cached_property
    def sections(self) -> CatalogTexts:
        return self._later("sections")

    @cached_property
    def publications(self) -> CatalogTexts:
        names = [self._publication_of.get(issue.id, "") for issue in self.issues]
        return CatalogTexts.in_library_order([names[at] for at in self.issue_at.tolist()])

    def entry(self, doc: int) -> tuple[Issue, Article]:
        """The issue and the article of dense `doc` (the issue's articles are made if need be)."""
        issue = self.issues[int(self.issue_at[doc])]
        return issue, issue.articles[int(self.position[doc])]

    def article_ids(self, docs: Sequence[int]) -> list[str]:
        return [self.entry(doc)[1].id for doc in docs]

    def publication(self, issue: Issue) -> str | None:
        return self._publication_of.get(issue.id)


def _numbered(issues: Sequence[Issue]) -> tuple[Any, Any, Any]:
    """How many articles of each issue the store numbered; their numbers and places among their
    issue's articles, one issue after another."""
    import numpy as np

    listed = [getattr(issue, "doc_list", None) for issue in issues]
    texts = [text for text in listed if isinstance(text, str)]
    if len(texts) == len(listed):  # cached issues: no article need be built
        counts = np.array([article_count(issue) for issue in issues], dtype=np.int64)
        joined = ",".join(text for text in texts if text)
        # Parsed in C: numpy making an int of each of 100,000 strings took 10 ms.
        numbers = np.fromstring(joined, dtype=np.int64, sep=",") if joined else counts[:0]
        starts = np.repeat(np.cumsum(counts) - counts, counts)
        return counts, numbers, np.arange(len(numbers), dtype=np.int64) - starts
    found = [
        [
            (doc, place)
            for place, article in enumerate(issue.articles)
            if isinstance(doc := getattr(article, "doc", None), int)
        ]
        for issue in issues
    ]
    counts = np.array([len(pairs) for pairs in found], dtype=np.int64)
    flat = [pair for pairs in found for pair in pairs]
    numbers = np.array([doc for doc, _ in flat], dtype=np.int64)
    return counts, numbers, np.array([place for _, place in flat], dtype=np.int64)
