"""The index's catalog of the articles it holds: per segment, one row with their numbers, body
lengths, titles, metadata, authors and sections (each text column joined by newlines), so that the
engine learns what it needs of every article in a few rows rather than from the store."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from bulletin_tui.search.documents import Document

CATALOG_COLUMNS = "numbers, lengths, titles, meta, authors, sections"
CATALOG = (
    f"SELECT {CATALOG_COLUMNS} FROM catalog WHERE seg IN (SELECT seg FROM segments) ORDER BY seg"
)


class Columns:
    """Per indexed article, segment after segment: see GramIndex.catalog. Each text column is
    split into one text per article when first asked for."""

    def __init__(self, numbers: Any, lengths: Any, texts: Sequence[Sequence[str]]) -> None:
        self.numbers = numbers
        self.lengths = lengths
        self._texts = texts  # per column, per segment: the texts joined by newlines

    @staticmethod
    def empty() -> Columns:
        import numpy as np

        none = np.zeros(0, dtype=np.int64)
        return Columns(none, none, [[], [], [], []])

    def _split(self, column: int) -> list[str]:
        return [text for joined in self._texts[column] for text in joined.split("\n")]

    def titles(self) -> list[str]:
        return self._split(0)

    def meta(self) -> list[str]:
        return self._split(1)

    def authors(self) -> list[str]:
        return self._split(2)

    def sections(self) -> list[str]:
        return self._split(3)

    def columns(self) -> list[list[str]]:
        return [self._split(column) for column in range(4)]

    def joined(self, column: int) -> list[str]:
        return list(self._texts[column])


def _joined(texts: Sequence[str]) -> str:
    return "\n".join(text.replace("\n", " ") for text in texts)


def catalog_row(batch: Sequence[Document]) -> tuple[bytes | str, ...]:
    """A catalog row's values for documents in ascending order."""
    import numpy as np

    numbers = np.array([d.number for d in batch], dtype="<i8").tobytes()
    lengths = np.array([len(d.body) for d in batch], dtype="<i8").tobytes()
    titles, meta = _joined([d.title for d in batch]), _joined([d.meta for d in batch])
    authors, sections = _joined([d.authors for d in batch]), _joined([d.section for d in batch])
    return numbers, lengths, titles, meta, authors, sections


def read_columns(rows: Sequence[Any]) -> Columns:
    import numpy as np

    if not rows:
        return Columns.empty()
    numbers = np.concatenate([np.frombuffer(row[0], dtype="<i8") for row in rows])
    lengths = np.concatenate([np.frombuffer(row[1], dtype="<i8") for row in rows])
    texts = [[row[at] for row in rows] for at in range(2, 6)]
    return Columns(numbers.astype(np.int64), lengths.astype(np.int64), texts)


def merge_catalog(conn: sqlite3.Connection, seg: int, segs: list[int], live: Any) -> None:
    """The catalog rows of `segs` as one row for `seg`, without removed articles."""
    import numpy as np

    marks = ",".join("?" * len(segs))
    rows = conn.execute(
        f"SELECT {CATALOG_COLUMNS} FROM catalog WHERE seg IN ({marks}) ORDER BY seg", segs
    ).fetchall()
    conn.execute(f"DELETE FROM catalog WHERE seg IN ({marks})", segs)
    if not rows:
        return
    old = read_columns(rows)
    order = np.argsort(old.numbers, kind="stable")
    order = order[np.isin(old.numbers[order], live)].tolist()
    kept = [_joined([column[k] for k in order]) for column in old.columns()]
    numbers = old.numbers[order].astype("<i8").tobytes()
    lengths = old.lengths[order].astype("<i8").tobytes()
    conn.execute("INSERT INTO catalog VALUES (?, ?, ?, ?, ?, ?, ?)", (seg, numbers, lengths, *kept))
