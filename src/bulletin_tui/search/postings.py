"""The gram index on disk: a SQLite file of its own, owned by search, built from `Documents`.

Articles are indexed in batches of about BATCH_CHARS characters, each batch one segment written in one
transaction, so memory stays bounded however large the library, and a build killed at any moment
leaves whole segments that the next run keeps (it indexes only what is missing). Segments are merged,
the smallest first, enough at once to leave MAX_SEGMENTS, so a search reads few rows per gram and a
large build writes its text about twice, not once per level of merging; a merge streams one gram at a
time and drops the entries of removed articles. Adding, replacing or removing an issue costs in
proportion to that issue: its articles get new numbers, the old ones are forgotten, and their dead
entries go at the next merge. A file written by another INDEX_VERSION or FOLD_VERSION is rebuilt.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from bulletin_tui.search.documents import Document, Documents
from bulletin_tui.search.folding import FOLD_VERSION
from bulletin_tui.search.index import build_batches, unpack, unpack_positions
from bulletin_tui.search.index_catalog import (
    FIELDS,
    Columns,
    catalog_query,
    catalog_row,
    read_columns,
)
from bulletin_tui.search.segment_merge import merge_segments
from bulletin_tui.sqlite_files import connect, is_damaged, read_meta, write_transaction

INDEX_VERSION = "8"  # bump whenever the grams or the tables change: it rebuilds
VERSION = f"{INDEX_VERSION}.{FOLD_VERSION}"  # what the file's meta must say
# Text per segment, built a slice of grams at a time (~20 bytes a character at the peak, about
# 60 MB). A merge costs about four times a segment's build per character: larger segments and
# fewer merges made a build from nothing three times faster than 1.5 M characters.
BATCH_CHARS = 3_000_000
FETCH = 256  # documents read from the store at a time
MAX_SEGMENTS = 12  # after a sync; while one adds segments, up to BUILDING times as many
BUILDING = 4
MERGE_AT_ONCE = 8
MAX_DEAD = 0.25  # merge everything when this share of the entries belongs to removed articles

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS segments (
    seg INTEGER PRIMARY KEY, docs INTEGER NOT NULL, chars INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS indexed (
    doc INTEGER PRIMARY KEY, seg INTEGER NOT NULL, length INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS catalog (
    seg INTEGER PRIMARY KEY,
    numbers BLOB NOT NULL,
    lengths BLOB NOT NULL,
    titles BLOB NOT NULL,
    meta BLOB NOT NULL,
    authors BLOB NOT NULL,
    sections BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (
    gram INTEGER NOT NULL,
    seg INTEGER NOT NULL,
    first INTEGER NOT NULL,
    gaps BLOB NOT NULL,
    counts BLOB NOT NULL,
    positions BLOB NOT NULL,  -- bigrams: where each stands in each article (search.index)
    PRIMARY KEY (seg, gram)
) WITHOUT ROWID;
"""
DROP = ("postings", "catalog", "indexed", "segments", "meta")

Progress = Callable[[int, int], None]  # (articles indexed, articles to index)


class IndexFileError(Exception):
    """The index file cannot be used; the message names it."""


class GramIndex:
    """The index file at `path` (None: in memory). `read_only`: never written (a shared index)."""

    def __init__(self, path: Path | None, *, read_only: bool = False, shared: bool = False) -> None:
        """`shared`: built for others to read (a rollback journal: readers need no -shm file)."""
        self.path = path
        self.read_only = read_only
        self.shared = shared
        self.lock = threading.RLock()
        self.usable = True  # False: a read-only file of another version (everything is scanned)
        self._conn = self._open()

    # --- opening --------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            conn = connect(None)
            self._create(conn)
            return conn
        if self.read_only:
            conn = connect(self.path, read_only=True)
            self.usable = read_meta(conn).get("version") == VERSION
            return conn
        try:
            return self._open_writable(self.path)
        except sqlite3.DatabaseError as error:
            if not is_damaged(error):
                raise
            # Derived data: a damaged index is removed and built again.
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(f"{self.path}{suffix}")
            return self._open_writable(self.path)

    def _open_writable(self, path: Path) -> sqlite3.Connection:
        from bulletin_tui.private_files import check_own_file, open_private

        # Beside the cache, in a folder already found private: the file is opened (or made 0600)
        # without following a link, and the names SQLite will open beside it are checked.
        for suffix in ("-wal", "-shm", "-journal"):
            check_own_file(path.with_name(path.name + suffix))
        os.close(open_private(path))
        conn = connect(path)
        try:
            mode = "DELETE" if self.shared else "WAL"
            conn.execute(f"PRAGMA journal_mode = {mode}").fetchone()
            conn.execute("PRAGMA synchronous = NORMAL")
            self._create(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _create(conn: sqlite3.Connection) -> None:
        """Make the tables, or rebuild them when the file was written by another version."""
        if read_meta(conn).get("version") == VERSION:
            return
        with write_transaction(conn):
            if read_meta(conn).get("version") == VERSION:
                return  # another process got there first
            for table in DROP:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in TABLES.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO meta VALUES ('version', ?)", (VERSION,))

    def close(self) -> None:
        with self.lock:
            self._conn.close()

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        if not self.usable:
            return []
        with self.lock:
            return self._conn.execute(sql, parameters).fetchall()

    # --- reading --------------------------------------------------------------------------------

    def source(self) -> str:
        """The identity of the store this index was built from ("" if none yet)."""
        rows = self.query("SELECT value FROM meta WHERE key = 'source'")
        return str(rows[0][0]) if rows else ""

    def lengths(self) -> tuple[Any, Any]:
        """(doc numbers, body lengths) of every indexed article, as numpy arrays."""
        import numpy as np

        rows = self.query("SELECT doc, length FROM indexed")
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        table = np.array(rows, dtype=np.int64)
        return table[:, 0], table[:, 1]

    def catalog(self, fields: Sequence[str] = FIELDS) -> Columns:
        """What the engine knows of each indexed article without reading the store: its number,
        body length and the texts `fields` names (of titles, meta, authors, sections), one row
        per segment (articles removed since included: the caller keeps the articles it knows)."""
        return read_columns(self.query(catalog_query(fields)), fields)

    def posting(self, code: int) -> tuple[Any, Any]:
        """(doc numbers ascending, counts) for one gram, every segment's entries together (entries
        of removed articles included: the caller keeps the articles it knows)."""
        import numpy as np

        parts = [unpack(*row) for row in self.query(_POSTING, (code,))]
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        if len(parts) == 1:
            return parts[0]
        docs = np.concatenate([part[0] for part in parts])
        counts = np.concatenate([part[1] for part in parts])
        order = np.argsort(docs, kind="stable")
        return docs[order], counts[order]

    def positions(self, code: int) -> dict[int, tuple[Any, Any, Any]]:
        """For one bigram, by segment: (doc numbers ascending, counts, positions), `counts[i]`
        positions for the i-th doc (at most POSITIONS), ascending, one after another. An article
        is in one segment only, so a text's bigrams are matched segment by segment (removed
        articles included, as in `posting`)."""
        found = {}
        for seg, first, gaps, counts, positions in self.query(_POSITIONS, (code,)):
            docs, tf = unpack(first, gaps, counts)
            found[seg] = (docs, tf, unpack_positions(tf, positions))
        return found

    # --- building -------------------------------------------------------------------------------

    def sync(self, source: Documents, progress: Progress | None = None) -> int:
        """Bring the index up to date with `source`: forget removed articles, index new ones in
        bounded batches, merge segments. Returns how many articles were indexed."""
        if self.read_only:
            raise IndexFileError(f"the index {self.path} is read-only")
        identity = source.identity()
        if self.query("SELECT value FROM meta WHERE key = 'source'") != [(identity,)]:
            # Another store (made afresh, numbering from 1 again): nothing here applies to it.
            self.clear()
            with self._write() as conn:
                conn.execute("INSERT INTO meta VALUES ('source', ?)", (identity,))
        live = source.live_docs()
        have = {row[0] for row in self.query("SELECT doc FROM indexed")}
        alive = set(live)
        gone = [doc for doc in have if doc not in alive]
        if gone:
            with self._write() as conn:
                for chunk in _chunks(gone, 500):
                    marks = ",".join("?" * len(chunk))
                    conn.execute(f"DELETE FROM indexed WHERE doc IN ({marks})", chunk)
        new = [doc for doc in live if doc not in have]
        indexed = 0
        batch: list[Document] = []
        chars = 0
        for chunk in _chunks(new, FETCH):
            for item in source.documents(chunk):
                document = item if isinstance(item, Document) else Document(*item)
                batch.append(document)
                chars += len(document.body)
                if chars >= BATCH_CHARS:
                    indexed += self._add(batch, chars)
                    batch, chars = [], 0
                    if progress is not None:
                        progress(indexed, len(new))
            # Each merge writes its segments' text again: a large sync merges seldom, and then
            # enough at once that most of the text is written twice at most.
            self._merge_if_needed(MAX_SEGMENTS * BUILDING)
        small = not indexed  # less than a batch: a refresh of a few files
        if batch:
            indexed += self._add(batch, chars)
            if progress is not None:
                progress(indexed, len(new))
        self._merge_if_needed(MAX_SEGMENTS, patient=small)
        return indexed

    def clear(self) -> None:
        """Forget everything (the next sync indexes the whole library again)."""
        with self._write() as conn:
            for table in ("postings", "catalog", "indexed", "segments"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("DELETE FROM meta WHERE key = 'source'")

    def _add(self, batch: list[Document], chars: int) -> int:
        """One segment for `batch`, written in one transaction as it is built: its rows are never
        all held at once (as Python objects they took several times the batch's numpy arrays)."""
        slices = build_batches([(document.number, document.body) for document in batch])
        batch = sorted(batch)
        described = [(document.number, len(document.body)) for document in batch]
        with self._write() as conn:
            numbers = [doc for doc, _ in described]
            for chunk in _chunks(numbers, 500):
                marks = ",".join("?" * len(chunk))
                taken = conn.execute(
                    f"SELECT count(*) FROM indexed WHERE doc IN ({marks})", chunk
                ).fetchone()[0]
                if taken:
                    return 0  # another process indexed these meanwhile: its segment stands
            seg = conn.execute("SELECT coalesce(max(seg), 0) + 1 FROM segments").fetchone()[0]
            conn.execute("INSERT INTO segments VALUES (?, ?, ?)", (seg, len(batch), chars))
            insert = f"INSERT INTO postings VALUES (?, {int(seg)}, ?, ?, ?, ?)"
            for rows in slices:
                conn.executemany(insert, rows)
            conn.executemany(
                "INSERT INTO indexed VALUES (?, ?, ?)",
                ((doc, seg, length) for doc, length in described),
            )
            conn.execute(
                "INSERT INTO catalog VALUES (?, ?, ?, ?, ?, ?, ?)", (seg, *catalog_row(batch))
            )
        return len(batch)

    def _merge_if_needed(self, limit: int, *, patient: bool = False) -> None:
        """Past `limit` segments, the smallest merged into one, enough of them to leave
        MAX_SEGMENTS (at least MERGE_AT_ONCE); everything, when removed articles hold too much.
        `patient`: up to twice `limit`, only segments of about one size."""
        # Of segments about the same size, the oldest first: segments built one after another
        # hold articles one after another, and are merged without unpacking their places.
        segments = self.query(
            "SELECT seg, docs, chars FROM segments ORDER BY chars / ?, seg", (BATCH_CHARS,)
        )
        total = sum(docs for _, docs, _ in segments)
        live = self.query("SELECT count(*) FROM indexed")[0][0]
        if len(segments) > 1 and total and total - live > MAX_DEAD * total:
            self._merge([seg for seg, _, _ in segments])
        elif len(segments) > limit:
            merged = max(MERGE_AT_ONCE, len(segments) - MAX_SEGMENTS + 1)
            chosen = [seg for seg, _, _ in segments[:merged]]
            if patient and len(segments) <= limit * 2:
                # Room to wait: only the smallest segments of about one size are merged, so that
                # one issue's new segment is not merged into the library's (a refresh of 1 file
                # at 100,000 articles merged 21 M characters: 7 s).
                by_size = sorted((chars, seg) for seg, _, chars in segments)
                chosen = sorted(_of_one_size(by_size[:merged]))
            if len(chosen) > 1:
                self._merge(chosen)

    def _merge(self, segs: list[int]) -> None:
        with self._write() as conn:
            merge_segments(conn, segs)

    def finish_shared(self) -> None:
        """Leave the file readable by processes that cannot write next to it (a shared index):
        a rollback journal instead of WAL, so readers need no -shm file."""
        with self.lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.execute("PRAGMA journal_mode = DELETE").fetchone()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self.lock, write_transaction(self._conn) as conn:
            yield conn


_POSTING = (
    "SELECT first, gaps, counts FROM postings "
    "WHERE seg IN (SELECT seg FROM segments) AND gram = ? ORDER BY seg"
)
_POSITIONS = (
    "SELECT seg, first, gaps, counts, positions FROM postings "
    "WHERE seg IN (SELECT seg FROM segments) AND gram = ? ORDER BY seg"
)


def _of_one_size(segments: list[tuple[int, int]]) -> list[int]:
    """The first of `segments` ((chars, seg), smallest first) up to one much larger than those
    before it together; one under an eighth of a batch is never much larger."""
    chosen: list[int] = []
    together = 0
    for chars, seg in segments:
        if chosen and chars > max(2 * together, BATCH_CHARS // 8):
            break
        chosen.append(seg)
        together += chars
    return chosen


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def index_path(cache_path: Path) -> Path:
    """The index beside a cache file `library-<key>.sqlite3`: `search-<key>.sqlite3`."""
    name = cache_path.name.removeprefix("library-")
    return cache_path.with_name(f"search-{name}")


def open_index(cache_path: Path | None, notices: list[str], *, shared: bool = False) -> GramIndex:
    """The index for the cache at `cache_path` (None: in memory); a file that cannot be used
    becomes a notice and an in-memory index, never a failure."""
    if cache_path is None:
        return GramIndex(None)
    path = index_path(cache_path)
    try:
        return GramIndex(path, shared=shared)
    except (OSError, sqlite3.Error) as error:
        notices.append(f"cannot use the search index {path} ({error}); indexing in memory")
        return GramIndex(None)
