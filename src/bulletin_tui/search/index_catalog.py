"""The index's catalog of the articles it holds: per segment, one row with their numbers, body
lengths, titles, metadata, authors and sections (each text column joined by newlines), so that the
engine learns what it needs of every article in a few rows rather than from the store."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from bulletin_tui.search.documents import Document

FIELDS = ("titles", "meta", "authors", "sections")  # the text columns, in the table's order


def catalog_query(fields: Sequence[str]) -> str:
    """The rows of the live segments, in segment order, with the text columns `fields`."""
    columns = ", ".join(("numbers", "lengths", *fields))
    return f"SELECT {columns} FROM catalog WHERE seg IN (SELECT seg FROM segments) ORDER BY seg"


class Columns:
    """Per indexed article, segment after segment: see GramIndex.catalog. A text column is split
    into one text per article only when asked for."""

    def __init__(self, numbers: Any, lengths: Any, texts: dict[str, list[str]]) -> None:
        self.numbers = numbers
        self.lengths = lengths
        self.texts = texts  # field → per segment, its articles' texts joined by newlines

    @staticmethod
    def empty(fields: Sequence[str] = FIELDS) -> Columns:
        import numpy as np

        none = np.zeros(0, dtype=np.int64)
        return Columns(none, none, {name: [] for name in fields})

    def split(self, field: str) -> list[str]:
        """One text per article."""
        return [text for joined in self.texts[field] for text in joined.split("\n")]


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


def read_columns(rows: Sequence[Any], fields: Sequence[str]) -> Columns:
    import numpy as np

    if not rows:
        return Columns.empty(fields)
    numbers = np.concatenate([np.frombuffer(row[0], dtype="<i8") for row in rows])
    lengths = np.concatenate([np.frombuffer(row[1], dtype="<i8") for row in rows])
    texts = {name: [row[2 + at] for row in rows] for at, name in enumerate(fields)}
    return Columns(numbers.astype(np.int64), lengths.astype(np.int64), texts)


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
