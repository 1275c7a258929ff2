"""The `meta` table of our SQLite files (the cache, the search index): key → value, such as the
schema and parser versions a file was built by. Shared by `store` and `search`, which never import
each other."""

from __future__ import annotations

import sqlite3


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """Every key and value of `meta`; empty when the file has no such table yet."""
    try:
        return dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return {}
        raise
