"""The cache's SQLite connection: opening it (read-write with WAL, or read-only), creating or
rebuilding its tables, transactions that wait out other processes, and SQLite errors as CacheError.

One connection per cache, shared by threads under a lock (the reader refreshes in a worker while
the UI thread reads). Other processes may use the same file at once: WAL mode, a busy timeout and
`BEGIN IMMEDIATE` with retries keep them from failing with "database is locked".
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bulletin_tui.sqlite_files import connect, read_meta, wait_out_locks, write_transaction
from bulletin_tui.store.cache_file import check_files
from bulletin_tui.store.errors import CacheError, translate
from bulletin_tui.store.schema import DROP, SCHEMA_VERSION, TABLES


def parser_version() -> str:
    """bulletin_tui.parse.PARSER_VERSION (importing the package does not load the parser)."""
    from bulletin_tui.parse import PARSER_VERSION

    return str(PARSER_VERSION)


def _wanted() -> dict[str, str]:
    return {"schema": str(SCHEMA_VERSION), "parser": parser_version()}


def _same(versions: dict[str, str], wanted: dict[str, str]) -> bool:
    return all(versions.get(key) == value for key, value in wanted.items())


class CacheConnection:
    """The cache file (or an in-memory database when `path` is None), opened and ready."""

    def __init__(self, path: Path | None, *, read_only: bool = False, shared: bool = False) -> None:
        """`read_only`: a shared cache built by someone else, never written (CacheError if it was
        built by another version). `shared`: being built for others to read, with a rollback
        journal rather than WAL, so readers need no write access beside it."""
        self.path = path
        self.read_only = read_only
        self.shared = shared
        self.lock = threading.RLock()
        self.generation = 0  # bumped by every change, so readers know to reload
        self._conn = self._connect()

    def _connect(self) -> sqlite3.Connection:
        if self.read_only and self.path is not None:
            return self._connect_read_only(self.path)
        if self.path is not None:
            check_files(self.path)
        conn = connect(self.path)
        try:
            if self.path is not None:
                mode = "DELETE" if self.shared else "WAL"
                wait_out_locks(lambda: conn.execute(f"PRAGMA journal_mode = {mode}").fetchone())
            conn.execute("PRAGMA synchronous = NORMAL")
            self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _connect_read_only(self, path: Path) -> sqlite3.Connection:
        conn = connect(path, read_only=True)
        try:
            if not _same(read_meta(conn), _wanted()):
                raise CacheError(f"{path} was built by another version of bulletin-tui")
        except BaseException:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Create the tables, or rebuild them when the schema or the parser changed."""
        wanted = _wanted()
        if _same(read_meta(conn), wanted):
            return
        with write_transaction(conn):
            if _same(read_meta(conn), wanted):  # another process got there first
                return
            # One statement at a time: executescript() would commit the transaction.
            for statement in (DROP + TABLES).split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", wanted.items())
            conn.execute("INSERT INTO meta VALUES ('identity', ?)", (os.urandom(16).hex(),))

    def finish_shared(self) -> None:
        """Leave a shared cache readable by users who cannot write beside it: no WAL, no -shm."""
        with self.lock, self.errors():
            self._conn.execute("PRAGMA journal_mode = DELETE").fetchone()

    def close(self) -> None:
        with self.lock:
            self._conn.close()

    # --- errors and transactions ---------------------------------------------------------------

    def translate(self, error: sqlite3.Error) -> CacheError | None:
        """The CacheError that a SQLite error means, if it is one we handle."""
        return translate(str(self.path or "in memory"), error)

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; SQLite errors we know come out as CacheError."""
        with self.lock, self.errors(), write_transaction(self._conn) as conn:
            yield conn
            self.generation += 1

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            known = self.translate(error)
            if known is None:
                raise
            raise known from error

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        with self.lock, self.errors():
            return self._conn.execute(sql, parameters).fetchall()
