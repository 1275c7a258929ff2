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

from bulletin_tui.model import Article, Issue
from bulletin_tui.search.bodies import Bodies
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
        self._indexed_columns = columns = index.catalog() if self.matched else None
        texts = self._columns(columns, ("titles", "meta"))
        self.bodies = Bodies(documents, self.numbers, self.dense)
        self._fill_tail(texts)
        self.average_length = float(self.length.mean()) if self.n else 1.0
        self.titles = _joined(texts["titles"])
        self.meta = _joined(texts["meta"])

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

    def _columns(self, columns: Columns | None, names: Sequence[str]) -> dict[str, Any]:
        """The index's texts (those `names`d) and lengths placed in the library's order ("" where
        not indexed: the articles of the tail are filled in from the store)."""
        import numpy as np

        texts = {name: np.full(self.n, "", dtype=object) for name in names}
        if columns is None or not len(columns.numbers):
            return texts
        inside = columns.numbers < len(self.dense)
        dense = np.full(len(columns.numbers), -1, dtype=np.int64)
        dense[inside] = self.dense[columns.numbers[inside]]
        known = dense >= 0
        where = dense[known]
        self.indexed[where] = True
        self.length[where] = np.maximum(1, columns.lengths[known])
        for name in names:
            values = getattr(columns, name)()  # one text per article, as the index holds them
            texts[name][where] = np.array(values, dtype=object)[known]
        return texts

    def _later(self, name: str) -> Joined:
        """A column not needed by every search (authors, sections), placed on first use."""
        texts = self._columns(self._indexed_columns, (name,))[name]
        for doc, values in self._tail_texts.items():
            texts[doc] = values[FIELDS.index(name)]
        return _joined(texts)

    def _fill_tail(self, texts: dict[str, Any]) -> None:
        """Articles the index does not hold yet: read from the store, their bodies kept to scan."""
        import numpy as np

        self._tail_texts: dict[int, tuple[str, ...]] = {}
        tail = np.flatnonzero(~self.indexed)
        if not len(tail):
            return
        for document in self.bodies.load_tail(self.numbers[tail].tolist()):
            doc = int(self.dense[document.number])
            values = (document.title, document.meta, document.authors, document.section)
            self._tail_texts[doc] = tuple(value.replace("\n", " ") for value in values)
            texts["titles"][doc], texts["meta"][doc] = self._tail_texts[doc][:2]
            self.length[doc] = max(1, len(document.body))

    @cached_property
    def authors(self) -> Joined:
        return self._later("authors")

    @cached_property
    def sections(self) -> Joined:
        return self._later("sections")

    @cached_property
    def publications(self) -> Joined:
        names = [self._publication_of.get(issue.id, "") for issue in self.issues]
        return Joined([names[at] for at in self.issue_at.tolist()])

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
        counts = np.array([text.count(",") + 1 if text else 0 for text in texts], dtype=np.int64)
        joined = ",".join(text for text in texts if text)
        numbers = np.array(joined.split(","), dtype=np.int64) if joined else counts[:0]
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


def _joined(texts: Any) -> Joined:
    """A Joined over an object array of texts that hold no newline (the index stores them so)."""
    return Joined((), joined="\n".join(texts.tolist()))
