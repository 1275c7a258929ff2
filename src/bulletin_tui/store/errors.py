"""What can go wrong with the cache file, as exceptions whose message names the file."""

from __future__ import annotations

import sqlite3

from bulletin_tui.sqlite_files import is_damaged, is_full


class CacheError(Exception):
    """The cache cannot be used; the message says why and names the file."""


class CacheFullError(CacheError):
    """The disk holding the cache is full."""


class CacheCorruptError(CacheError):
    """The cache file is damaged (truncated, overwritten): it must be moved aside and rebuilt."""


def translate(where: str, error: sqlite3.Error) -> CacheError | None:
    """The CacheError that a SQLite error on the cache `where` means, if it is one we handle."""
    if is_full(error):
        return CacheFullError(f"the disk is full: cannot write the cache {where}")
    if is_damaged(error):
        return CacheCorruptError(f"the cache {where} is damaged ({error})")
    return None
