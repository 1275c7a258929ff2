"""What can go wrong with the cache file, as exceptions whose message names the file."""

from __future__ import annotations

import sqlite3

FULL, CORRUPT, NOTADB, BUSY, LOCKED = 13, 11, 26, 5, 6  # SQLite's primary result codes


class CacheError(Exception):
    """The cache cannot be used; the message says why and names the file."""


class CacheFullError(CacheError):
    """The disk holding the cache is full."""


class CacheCorruptError(CacheError):
    """The cache file is damaged (truncated, overwritten): it must be moved aside and rebuilt."""


def sqlite_code(error: sqlite3.Error) -> int:
    """The primary result code of a SQLite error (0 when it has none)."""
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def translate(where: str, error: sqlite3.Error) -> CacheError | None:
    """The CacheError that a SQLite error on the cache `where` means, if it is one we handle."""
    code, text = sqlite_code(error), str(error)
    if code == FULL or "disk is full" in text:
        return CacheFullError(f"the disk is full: cannot write the cache {where}")
    if code in (CORRUPT, NOTADB) or "malformed" in text or "not a database" in text:
        return CacheCorruptError(f"the cache {where} is damaged ({text})")
    return None
