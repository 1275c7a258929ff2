"""Our SQLite files (the cache, the search index): how each is opened, its write transactions
(which wait out other processes), what an error says of the file, and its `meta` table of key →
value, such as the schema and parser versions it was built by. Shared by `store` and `search`,
which never import each other."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

BUSY_TIMEOUT_S = 30.0  # how long a write waits for another process's
_FULL, _CORRUPT, _NOTADB, _BUSY, _LOCKED = 13, 11, 26, 5, 6  # SQLite's primary result codes
_T = TypeVar("_T")


def connect(path: Path | None, *, read_only: bool = False) -> sqlite3.Connection:
    """The file at `path` (None: a database in memory), in autocommit mode (we begin our own
    transactions), usable from any thread (each file has a lock of ours), waiting up to
    BUSY_TIMEOUT_S for another process. `read_only`: opened so that it is never written."""
    target = ":memory:" if path is None else str(path)
    if path is not None and read_only:
        target = f"{path.resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(
        target,
        uri=read_only and path is not None,
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    except BaseException:
        conn.close()
        raise
    return conn


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """Every key and value of `meta`; empty when the file has no such table yet."""
    try:
        return dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return {}
        raise


def _code(error: sqlite3.Error) -> int:
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def is_full(error: sqlite3.Error) -> bool:
    """The disk holding the file is full."""
    return _code(error) == _FULL or "disk is full" in str(error)


def is_damaged(error: sqlite3.Error) -> bool:
    """The file is not a sound SQLite database (truncated, overwritten)."""
    text = str(error)
    return _code(error) in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text


def wait_out_locks(action: Callable[[], _T]) -> _T:
    """`action()`, tried again while another process holds the file locked beyond the busy
    timeout (up to four times that)."""
    deadline = time.monotonic() + 4 * BUSY_TIMEOUT_S
    while True:
        try:
            return action()
        except sqlite3.OperationalError as error:
            locked = _code(error) in (_BUSY, _LOCKED) or "locked" in str(error)
            if not locked or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (`BEGIN IMMEDIATE`, so it never deadlocks on upgrading a read),
    rolled back on any error."""
    wait_out_locks(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        yield conn
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    wait_out_locks(lambda: conn.execute("COMMIT"))
