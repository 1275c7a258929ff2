"""Merging segments of the gram index: their postings gram by gram, as each segment's rows come in
gram order, and their catalog rows, leaving out the articles removed since they were written."""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from bulletin_tui.search.index import (
    pack_docs,
    pack_positions,
    take_entries,
    unpack,
    unpack_positions,
)
from bulletin_tui.search.index_catalog import merge_catalog

OUT_BYTES = 8 << 20  # merged rows held before they are written


def merge_segments(conn: sqlite3.Connection, segs: list[int]) -> None:
    """Merge `segs` into one new segment, one gram at a time, leaving out removed articles (in
    the transaction the caller holds)."""
    import numpy as np

    marks = ",".join("?" * len(segs))
    seg = conn.execute("SELECT coalesce(max(seg), 0) + 1 FROM segments").fetchone()[0]
    rows = conn.execute(f"SELECT doc FROM indexed WHERE seg IN ({marks})", segs).fetchall()
    live = np.sort(np.array([row[0] for row in rows], dtype=np.int64))
    kept = conn.execute(
        f"SELECT count(*), coalesce(sum(length), 0) FROM indexed WHERE seg IN ({marks})", segs
    ).fetchone()
    held = conn.execute(f"SELECT sum(docs) FROM segments WHERE seg IN ({marks})", segs).fetchone()
    _merge_postings(conn, seg, segs, live if held[0] != kept[0] else None)
    merge_catalog(conn, seg, segs, live)
    conn.execute(f"DELETE FROM postings WHERE seg IN ({marks})", segs)
    conn.execute(f"DELETE FROM segments WHERE seg IN ({marks})", segs)
    conn.execute(f"UPDATE indexed SET seg = ? WHERE seg IN ({marks})", (seg, *segs))
    conn.execute("INSERT INTO segments VALUES (?, ?, ?)", (seg, kept[0], kept[1]))


def _merge_postings(conn: sqlite3.Connection, seg: int, segs: list[int], live: Any) -> None:
    """The postings of `segs` as `seg`'s; `live`: the articles to keep (None: all of them)."""
    # Each segment's rows come in gram order (the key is seg, gram): merged as they come.
    cursors = [
        conn.execute(
            "SELECT gram, first, gaps, counts, positions FROM postings WHERE seg = ? ORDER BY gram",
            (old,),
        )
        for old in segs
    ]
    rows = heapq.merge(*cursors, key=lambda row: row[0])
    out: list[tuple[int, int, int, bytes, bytes, bytes]] = []
    held = 0
    for gram, group in _by_gram(rows):
        if len(group) == 1 and live is None:
            row = (gram, seg, *group[0])
        else:
            merged = _merged(group, live)
            if merged is None:
                continue
            row = (gram, seg, *merged)
        out.append(row)
        held += len(row[3]) + len(row[4]) + len(row[5])
        # Rows of large segments hold kilobytes each (their bigrams' places): written by size.
        if len(out) >= 10_000 or held >= OUT_BYTES:
            conn.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?)", out)
            out.clear()
            held = 0
    conn.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?)", out)


Row = tuple[int, bytes, bytes, bytes]  # first doc, gaps, counts, positions


def _by_gram(rows: Any) -> Iterator[tuple[int, list[Row]]]:
    current: int | None = None
    group: list[Row] = []
    for gram, first, gaps, counts, positions in rows:
        if gram != current:
            if current is not None:
                yield current, group
            current, group = gram, []
        group.append((first, gaps, counts, positions))
    if current is not None:
        yield current, group


def _merged(group: list[Row], live: Any) -> tuple[int, bytes, bytes, bytes] | None:
    """One gram's rows as one, in doc order, the positions of bigrams following their entries."""
    import numpy as np

    if live is None:
        joined = _joined_in_order(group)
        if joined is not None:
            return joined
    parts = []
    for first, gaps, clipped, laid_out in group:
        docs, tf = unpack(first, gaps, clipped)
        parts.append((docs, tf, unpack_positions(tf, laid_out) if laid_out else None))
    docs = np.concatenate([part[0] for part in parts])
    counts = np.concatenate([part[1] for part in parts])
    chosen = np.argsort(docs, kind="stable")
    if live is not None:
        chosen = chosen[np.isin(docs[chosen], live, assume_unique=True)]
    if len(chosen) == 0:
        return None
    laid = b""
    if parts[0][2] is not None:  # a bigram (a unigram keeps no positions)
        places = np.concatenate([part[2] for part in parts])
        laid = pack_positions(take_entries(chosen, counts, places))
    return (*pack_docs(docs[chosen], counts[chosen]), laid)


def _joined_in_order(group: list[Row]) -> tuple[int, bytes, bytes, bytes] | None:
    """One gram's rows as one when each row's articles all come after the previous row's (as
    segments built one after another hold them): the places are joined as they are laid out,
    never made into arrays (a common bigram of a 100 M-character segment has millions). None when
    the rows' articles interleave."""
    import numpy as np

    rows = sorted(group, key=lambda row: row[0])
    unpacked = [unpack(first, gaps, clipped) for first, gaps, clipped, _ in rows]
    if any(int(a[0][-1]) >= int(b[0][0]) for a, b in pairwise(unpacked)):
        return None
    docs = np.concatenate([docs for docs, _ in unpacked])
    counts = np.concatenate([tf for _, tf in unpacked])
    laid = [row[3] for row in rows]
    if any(laid):  # a bigram: each row's places in its own width (2 or 4 bytes), per row
        widths = {
            len(places) // int(tf.sum()) for places, (_, tf) in zip(laid, unpacked, strict=True)
        }
        if len(widths) > 1:  # mixed: all four bytes wide
            laid = [
                unpack_positions(tf, places).astype(np.uint32).tobytes()
                if len(places) // int(tf.sum()) == 2
                else places
                for places, (_, tf) in zip(laid, unpacked, strict=True)
            ]
    return (*pack_docs(docs, counts), b"".join(laid))
