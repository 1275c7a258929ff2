"""The index's catalog of the articles it holds: per segment, one row with their numbers, body
lengths, titles, metadata, authors and sections.

Each text column holds the segment's texts already folded for search, joined by newlines, as
UTF-16 code units (little-endian): the engine counts needles in folded code units, so a first
search takes the columns as stored, with no decoding, splitting, folding or reordering of 100,000
titles (that cost a first search at 100,000 articles about 70 ms)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from bulletin_tui.search.documents import Document

FIELDS = ("titles", "meta", "authors", "sections")  # the text columns, in the table's order
NEWLINE = 10  # the code unit between texts


def catalog_query(fields: Sequence[str]) -> str:
    """The rows of the live segments, in segment order, with the text columns `fields`."""
    columns = ", ".join(("numbers", "lengths", *fields))
    return f"SELECT {columns} FROM catalog WHERE seg IN (SELECT seg FROM segments) ORDER BY seg"


class Columns:
    """Per indexed article, segment after segment: see GramIndex.catalog."""

    def __init__(
        self, numbers: Any, lengths: Any, sizes: list[int], texts: dict[str, list[bytes]]
    ) -> None:
        self.numbers = numbers
        self.lengths = lengths
        self.sizes = sizes  # articles in each segment
        # field → per segment, its articles' folded texts joined by newlines, as UTF-16-LE units
        # (b"" for a segment of one empty text, and for one of no articles: told apart by sizes)
        self.texts = texts

    @staticmethod
    def empty(fields: Sequence[str] = FIELDS) -> Columns:
        import numpy as np

        none = np.zeros(0, dtype=np.int64)
        return Columns(none, none, [], {name: [] for name in fields})

    def units(self, field: str) -> Any:
        """One folded text per entry of `numbers`, in their order, as code units joined by
        newlines."""
        import numpy as np

        parts = [
            np.frombuffer(part, dtype="<u2")
            for part, size in zip(self.texts[field], self.sizes, strict=True)
            if size
        ]
        if not parts:
            return np.zeros(0, dtype=np.uint16)
        newline = np.full(1, NEWLINE, dtype="<u2")
        pieces = [piece for part in parts for piece in (newline, part)][1:]
        return np.concatenate(pieces).astype(np.uint16, copy=False)

    def split(self, field: str) -> list[str]:
        """One folded text per entry of `numbers`."""
        return [
            text
            for part, size in zip(self.texts[field], self.sizes, strict=True)
            if size
            for text in _decoded(part).split("\n")
        ]


def _decoded(part: bytes) -> str:
    return part.decode("utf-16-le", "surrogatepass")


def _folded(texts: Sequence[str]) -> bytes:
    """Texts folded for search and joined by newlines, as UTF-16-LE code units."""
    from bulletin_tui.search.folding import fold_units

    joined = "\n".join(text.replace("\n", " ") for text in texts)
    return bytes(fold_units(joined).astype("<u2", copy=False).tobytes())


def _joined(texts: Sequence[str]) -> bytes:
    """Texts already folded, joined by newlines, as UTF-16-LE code units."""
    return "\n".join(texts).encode("utf-16-le", "surrogatepass")


def catalog_row(batch: Sequence[Document]) -> tuple[bytes, ...]:
    """A catalog row's values for documents in ascending order."""
    import numpy as np

    numbers = np.array([d.number for d in batch], dtype="<i8").tobytes()
    lengths = np.array([len(d.body) for d in batch], dtype="<i8").tobytes()
    titles, meta = _folded([d.title for d in batch]), _folded([d.meta for d in batch])
    authors, sections = _folded([d.authors for d in batch]), _folded([d.section for d in batch])
    return numbers, lengths, titles, meta, authors, sections


def read_columns(rows: Sequence[Any], fields: Sequence[str]) -> Columns:
    import numpy as np

    if not rows:
        return Columns.empty(fields)
    numbers = np.concatenate([np.frombuffer(row[0], dtype="<i8") for row in rows])
    lengths = np.concatenate([np.frombuffer(row[1], dtype="<i8") for row in rows])
    sizes = [len(row[0]) // 8 for row in rows]
    texts = {name: [bytes(row[2 + at]) for row in rows] for at, name in enumerate(fields)}
    return Columns(numbers.astype(np.int64), lengths.astype(np.int64), sizes, texts)


def merge_catalog(conn: sqlite3.Connection, seg: int, segs: list[int], live: Any) -> None:
    """The catalog rows of `segs` as one row for `seg`, without removed articles."""
    import numpy as np

    marks = ",".join("?" * len(segs))
    columns = ", ".join(("numbers", "lengths", *FIELDS))
    rows = conn.execute(
        f"SELECT {columns} FROM catalog WHERE seg IN ({marks}) ORDER BY seg", segs
    ).fetchall()
    conn.execute(f"DELETE FROM catalog WHERE seg IN ({marks})", segs)
    if not rows:
        return
    old = read_columns(rows, FIELDS)
    order = np.argsort(old.numbers, kind="stable")
    order = order[np.isin(old.numbers[order], live)].tolist()
    kept = [_joined([texts[k] for k in order]) for texts in map(old.split, FIELDS)]
    numbers = old.numbers[order].astype("<i8").tobytes()
    lengths = old.lengths[order].astype("<i8").tobytes()
    conn.execute("INSERT INTO catalog VALUES (?, ?, ?, ?, ?, ?, ?)", (seg, numbers, lengths, *kept))
