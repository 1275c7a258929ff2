"""Folded article bodies, read from the store as candidates need checking: those of articles the
index does not hold yet (scanned by every search) kept, the rest through a small cache, or every
one held in memory once `load_all()` has run."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bulletin_tui.search.documents import Document
from bulletin_tui.search.folding import fold

if TYPE_CHECKING:
    from bulletin_tui.search.documents import Documents

CACHED = 2048  # folded bodies kept from one search to the next


class Bodies:
    def __init__(self, documents: Documents, numbers: Any, dense: Any) -> None:
        self._documents = documents
        self._numbers = numbers  # dense doc → number in the store
        self._dense = dense  # number → dense doc
        self.tail: dict[int, str] = {}  # dense doc → folded body, for articles not indexed
        self._cache: OrderedDict[int, str] = OrderedDict()
        self._all: dict[int, str] | None = None

    def load_tail(self, numbers: Sequence[int]) -> list[Document]:
        """The store's documents for `numbers`, their folded bodies kept."""
        found = [Document(*item) for item in self._documents.documents(numbers)]
        for document in found:
            self.tail[int(self._dense[document.number])] = fold(document.body)
        return found

    def originals(self, docs: Sequence[int]) -> dict[int, str]:
        """Bodies as printed, by dense doc."""
        numbers = [int(self._numbers[doc]) for doc in docs]
        found = self._documents.bodies(numbers)
        return {int(self._dense[number]): body for number, body in found.items()}

    def folded(self, docs: Sequence[int]) -> dict[int, str]:
        """Folded bodies of dense docs: from memory if all are loaded, else through the cache."""
        if self._all is not None:
            everything = self._all
            return {doc: everything[doc] for doc in docs if doc in everything}
        found: dict[int, str] = {}
        missing = []
        for doc in docs:
            held = self.held(doc)
            if held is None:
                missing.append(doc)
            else:
                found[doc] = held
        for doc, body in self.originals(missing).items():
            found[doc] = self._cache[doc] = fold(body)
        while len(self._cache) > CACHED:
            self._cache.popitem(last=False)
        return found

    def held(self, doc: int) -> str | None:
        """The folded body of `doc` if it is at hand, without reading the store."""
        if self._all is not None:
            return self._all.get(doc)
        if doc in self.tail:
            return self.tail[doc]
        body = self._cache.get(doc)
        if body is not None:
            self._cache.move_to_end(doc)
        return body

    @property
    def all_held(self) -> bool:
        return self._all is not None

    def load_all(self) -> None:
        """Hold every folded body in memory (about twice the text's size), so checking candidates
        never waits on the store."""
        if self._all is not None:
            return
        everything = dict(self.tail)
        rest = [doc for doc in range(len(self._numbers)) if doc not in everything]
        for start in range(0, len(rest), 1000):
            for doc, body in self.originals(rest[start : start + 1000]).items():
                everything[doc] = fold(body)
        self._all = everything
