"""One index per office server: an administrator builds the cache and search index of a shared
library folder once (`bulletin-tui index --shared DIR PATH...`); every reader uses them read-only and
indexes privately only the files changed since (see Library.refresh).

The administrator's folder holds `library.sqlite3` (the parsed issues) and `search-library.sqlite3`
(the search index), written with a rollback journal so that readers, who cannot write there, need
no -shm file; they are made readable by all (0644) once built. Readers open both with SQLite's
read-only mode and never write into the folder.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bulletin_tui.search.postings import GramIndex, index_path
from bulletin_tui.store.cache import Cache, CacheError

SHARED_NAME = "library.sqlite3"
SHARED_DIR_MODE = 0o755
SHARED_FILE_MODE = 0o644


@dataclass
class Shared:
    directory: Path
    cache: Cache
    index: GramIndex
    offset: int = 0  # the user's own articles are numbered above this
    _states: dict[bytes, tuple[int, int]] | None = field(default=None, repr=False)

    def states(self) -> dict[bytes, tuple[int, int]]:
        """Path → (size, mtime_ns) of every file the shared cache holds parsed."""
        if self._states is None:
            self._states = {
                key: (state.size, state.mtime_ns)
                for key, state in self.cache.file_states().items()
                if state.error is None
            }
        return self._states

    def under(self, roots: Sequence[Path]) -> set[bytes]:
        """The shared files inside `roots` (the shared library may be larger than this one)."""
        prefixes = [os.fsencode(root) for root in roots]
        return {
            key
            for key in self.states()
            if any(key == p or key.startswith(p.rstrip(b"/") + b"/") for p in prefixes)
        }

    def close(self) -> None:
        self.index.close()
        self.cache.close()


def open_shared(directory: Path, notices: list[str]) -> Shared | None:
    """The shared cache and index in `directory`, read-only; None with a notice when they cannot
    be used (missing, unreadable, or built by another version)."""
    path = directory / SHARED_NAME
    try:
        if not path.is_file():
            raise CacheError(f"no {SHARED_NAME} there")
        cache = Cache(path, read_only=True)
    except (CacheError, sqlite3.Error, OSError) as error:
        notices.append(f"cannot use the shared index {directory} ({error}); indexing privately")
        return None
    try:
        index = GramIndex(index_path(path), read_only=True)
    except (sqlite3.Error, OSError) as error:
        cache.close()
        notices.append(f"cannot use the shared index {directory} ({error}); indexing privately")
        return None
    return Shared(directory, cache, index, offset=cache.max_doc() + 1)


def prepare_directory(directory: Path) -> None:
    """The administrator's folder: made 0755 when missing; an existing one must be the
    administrator's own and not writable by group or others (it is never chmodded)."""
    from bulletin_tui.private_files import check_private_dir

    if not os.path.lexists(directory):
        with contextlib.suppress(FileExistsError):
            os.mkdir(directory, SHARED_DIR_MODE)
            handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            try:
                os.fchmod(handle, SHARED_DIR_MODE)  # the umask may have taken bits away
            finally:
                os.close(handle)
    check_private_dir(directory)


def publish(cache: Cache, index: GramIndex) -> None:
    """After a shared build: rollback journals, and the two files readable by all. Only files of
    ours are touched, through handles opened without following links."""
    cache.finish_shared()
    index.finish_shared()
    for path in (cache.path, index.path):
        if path is None:
            continue
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            if os.fstat(handle).st_uid == os.geteuid():
                os.fchmod(handle, SHARED_FILE_MODE)
        finally:
            os.close(handle)
