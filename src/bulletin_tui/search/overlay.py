"""Two indexes searched as one: an administrator's shared index, read-only, and the user's own for
the files changed since it was built. The user's articles are numbered `offset` above their number
in the user's store, past every number of the shared one, so the two never meet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bulletin_tui.search.documents import Document, Documents
from bulletin_tui.search.index_catalog import FIELDS, Columns
from bulletin_tui.search.postings import GramIndex


@dataclass(frozen=True)
class Part:
    index: GramIndex
    documents: Documents
    offset: int  # added to this part's numbers


class Overlay:
    """The index and the documents the engine reads, over several parts (each index used only if
    it was built from its part's documents)."""

    def __init__(self, parts: Sequence[Part]) -> None:
        self._parts = sorted(parts, key=lambda part: part.offset)

    def identity(self) -> str:
        return "overlay"

    def source(self) -> str:
        return "overlay"

    def _matched(self) -> list[Part]:
        return [p for p in self._parts if p.index.source() == p.documents.identity()]

    def catalog(self, fields: Sequence[str] = FIELDS) -> Columns:
        import numpy as np

        pairs = [(p, p.index.catalog(fields)) for p in self._matched()]
        if not pairs:
            return Columns.empty(fields)
        return Columns(
            np.concatenate([columns.numbers + p.offset for p, columns in pairs]),
            np.concatenate([columns.lengths for _, columns in pairs]),
            [size for _, columns in pairs for size in columns.sizes],
            {
                name: [text for _, columns in pairs for text in columns.texts[name]]
                for name in fields
            },
        )

    def posting(self, code: int) -> tuple[Any, Any]:
        import numpy as np

        pairs = [(p, p.index.posting(code)) for p in self._matched()]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        docs = np.concatenate([numbers + p.offset for p, (numbers, _) in pairs])
        counts = np.concatenate([tf for _, (_, tf) in pairs])
        return docs, counts  # parts in offset order, each ascending: ascending

    def positions(self, code: int) -> dict[tuple[int, int], tuple[Any, Any, Any]]:
        """As GramIndex.positions, by part and segment."""
        return {
            (p.offset, seg): (docs + p.offset, counts, places)
            for p in self._matched()
            for seg, (docs, counts, places) in p.index.positions(code).items()
        }

    def _split(self, docs: Sequence[int]) -> list[tuple[Part, list[int]]]:
        """Each part with its own numbers of `docs`."""
        bounds = [p.offset for p in self._parts[1:]] + [2**62]
        return [
            (part, [doc - part.offset for doc in docs if part.offset <= doc < upper])
            for part, upper in zip(self._parts, bounds, strict=True)
        ]

    def bodies(self, docs: Sequence[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for part, mine in self._split(docs):
            if mine:
                for doc, body in part.documents.bodies(mine).items():
                    found[doc + part.offset] = body
        return found

    def documents(self, docs: Sequence[int]) -> list[Document]:
        return [
            document._replace(number=document.number + part.offset)
            for part, mine in self._split(docs)
            if mine
            for document in part.documents.documents(mine)
        ]
