"""The cache file on disk: its name for a set of library folders, the checks made before SQLite
opens it (no planted links, a header that is SQLite's) and moving a damaged one aside."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from bulletin_tui import private_files

_HEADER = b"SQLite format 3\x00"


def cache_name(roots: Sequence[Path]) -> str:
    """The cache file for a set of library roots: each library has its own, so opening one never
    evicts another."""
    key = "\0".join(sorted(os.fsdecode(Path(root).resolve()) for root in roots))
    digest = hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()
    return f"library-{digest[:16]}.sqlite3"


def check_files(path: Path) -> None:
    """Open (or create, 0600) the cache file without following a link, and check the files SQLite
    will open beside it by name: in a private folder nobody else can swap them afterwards."""
    from bulletin_tui.private_files import check_own_file, open_private

    for suffix in ("-wal", "-shm", "-journal"):
        check_own_file(path.with_name(path.name + suffix))
    # SQLite gives its -wal and -shm files the mode of the database file.
    os.close(open_private(path))


def looks_damaged(path: Path) -> bool:
    """A cheap check that needs no query: the header is SQLite's and the file is not truncated."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if size == 0:
        return False
    if len(header) < 100 or not header.startswith(_HEADER):
        return True
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is trusted only while "version-valid-for" matches the counter.
    counted = header[24:28] == header[92:96] and pages > 0
    return size % page_size != 0 or (counted and size < pages * page_size)


def move_aside(path: Path) -> str:
    """Move a damaged cache (and its -wal, -shm) out of the way; the notice that says so."""
    try:
        aside = private_files.move_aside(path, "corrupt", ("-wal", "-shm"))
    except FileNotFoundError:  # another process moved it first
        return f"the cache {path} was damaged; rebuilt it"
    except OSError as error:
        return f"the cache {path} was damaged and could not be moved aside ({error})"
    return f"the cache {path} was damaged; moved it to {aside.name} and rebuilt it"
