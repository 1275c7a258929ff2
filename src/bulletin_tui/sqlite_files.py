"""Our SQLite files (the cache, the search index): how each is opened, and its `meta` table of
key → value, such as the schema and parser versions it was built by. Shared by `store` and
`search`, which never import each other."""

from __future__ import annotations

import sqlite3
from pathlib import Path

BUSY_TIMEOUT_S = 30.0  # how long a write waits for another process's


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
