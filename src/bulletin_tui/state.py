"""state.toml: what the reader remembers between runs (read marks, bookmarks, where you were).

Written atomically (a temporary file in the same folder, then a rename) so a crash or a full disk
never leaves half a file. A file that cannot be parsed is moved aside, never destroyed; one that
cannot be read at all is never written over.

The file is bounded: past MAX_READ read marks, MAX_BOOKMARKS bookmarks and MAX_POSITIONS places the
oldest are forgotten, and a file over MAX_STATE_BYTES (made by hand, or by another program) is moved
aside rather than read, so a save or a quit never waits on it. The folder must be private to the
user and the file a regular file (see bulletin_tui.private_files); otherwise it is left alone and
marks are kept in memory only.

Two readers may run at once (two terminals, two SSH sessions). Each save therefore merges: it
re-reads the file under a lock and applies only what this reader changed since it last loaded or
saved, so marks made in the other reader are kept, and adopted.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from bulletin_tui.paths import state_dir
from bulletin_tui.private_files import (
    FileTooLargeError,
    UnsafePathError,
    check_private_dir,
    move_aside,
    private_dir,
    read_regular,
    replace_atomically,
)

STATE_VERSION = 1
MAX_POSITIONS = 2000  # remembered scroll positions; the oldest are forgotten first
MAX_BOOKMARKS = 2000  # the oldest are forgotten first
# Read marks carry no date; ids begin with the file name (its date, as a rule), so the marks
# that sort first are forgotten first.
MAX_READ = 20_000
MAX_LIBRARIES = 100  # libraries whose last article is remembered; the least recent forgotten first
MAX_ID_CHARS = 200  # a longer "id" is not one of ours: not remembered
# Read marks, bookmarks and places at their bounds take well under this.
MAX_STATE_BYTES = 4 * 2**20


@dataclass
class State:
    read: set[str] = field(default_factory=set)
    bookmarks: list[str] = field(default_factory=list)  # in the order they were made
    last_article: str | None = None  # the last article read in any library
    # library_key(roots) -> the last article read in that library, the most recent last
    last_articles: dict[str, str] = field(default_factory=dict)
    # bookmarked article id -> library_key() of the library it was made in (none in older files)
    bookmark_libraries: dict[str, str] = field(default_factory=dict)
    # article id -> offset into Article.body_text of the first line shown (0: the top)
    positions: dict[str, int] = field(default_factory=dict)
    # What the file held when this state was loaded or last saved: saves apply the difference.
    baseline: State | None = field(default=None, compare=False, repr=False)
    # Set when the file exists but could not be read: writing would destroy it.
    save_blocked: bool = field(default=False, compare=False)

    def toggle_read(self, article_id: str) -> bool:
        """Flip the read mark; True when the article is now read."""
        if article_id in self.read:
            self.read.discard(article_id)
            return False
        self.read.add(article_id)
        return True

    def toggle_bookmark(self, article_id: str, library: str = "") -> bool:
        """Flip the bookmark, made in the library keyed `library`; True when the article is now
        bookmarked."""
        if article_id in self.bookmarks:
            self.bookmarks.remove(article_id)
            self.bookmark_libraries.pop(article_id, None)
            return False
        self.bookmarks.append(article_id)
        if library:
            self.bookmark_libraries[article_id] = library
        return True

    def last_article_in(self, library: str) -> str | None:
        """The last article read in the library keyed `library`; a file written before articles
        were kept by library has only the one, which stands for every library."""
        return self.last_articles.get(library, self.last_article)

    def remember_article(self, library: str, article_id: str) -> None:
        self.last_article = article_id
        self.last_articles.pop(library, None)  # re-inserted: the dict stays in recency order
        self.last_articles[library] = article_id
        while len(self.last_articles) > MAX_LIBRARIES:
            del self.last_articles[next(iter(self.last_articles))]

    def remember_position(self, article_id: str, offset: int) -> None:
        self.positions.pop(article_id, None)  # re-insert so the dict stays in recency order
        self.positions[article_id] = max(0, offset)
        while len(self.positions) > MAX_POSITIONS:
            del self.positions[next(iter(self.positions))]

    def prune(self) -> None:
        """Forget what is past the bounds (the oldest first) and ids too long to be ours."""
        # In place: widgets hold these very set, list and dict objects.
        self.read.difference_update([i for i in self.read if len(i) > MAX_ID_CHARS])
        if len(self.read) > MAX_READ:
            self.read.difference_update(sorted(self.read)[: len(self.read) - MAX_READ])
        self.bookmarks[:] = [b for b in self.bookmarks if len(b) <= MAX_ID_CHARS][-MAX_BOOKMARKS:]
        stale = [i for i in self.positions if len(i) > MAX_ID_CHARS]
        stale += list(self.positions)[: max(0, len(self.positions) - MAX_POSITIONS)]
        for article_id in stale:
            self.positions.pop(article_id, None)
        kept = set(self.bookmarks)
        for article_id in [b for b in self.bookmark_libraries if b not in kept]:
            del self.bookmark_libraries[article_id]
        for library in list(self.last_articles)[: max(0, len(self.last_articles) - MAX_LIBRARIES)]:
            del self.last_articles[library]

    def copy(self) -> State:
        return State(
            set(self.read),
            list(self.bookmarks),
            self.last_article,
            dict(self.last_articles),
            dict(self.bookmark_libraries),
            dict(self.positions),
        )

    def merged_into(self, disk: State) -> State:
        """`disk` with the changes this state made since its baseline laid over it."""
        base = self.baseline if self.baseline is not None else State()
        read = (disk.read - (base.read - self.read)) | (self.read - base.read)
        removed = set(base.bookmarks) - set(self.bookmarks)
        bookmarks = [b for b in disk.bookmarks if b not in removed]
        bookmarks += [b for b in self.bookmarks if b not in base.bookmarks and b not in bookmarks]
        libraries = {
            b: where
            for b in bookmarks
            if (where := self.bookmark_libraries.get(b) or disk.bookmark_libraries.get(b))
        }
        merged = State(
            read,
            bookmarks,
            disk.last_article,
            dict(disk.last_articles),
            libraries,
            dict(disk.positions),
        )
        if self.last_article != base.last_article:
            merged.last_article = self.last_article
        for library, article_id in self.last_articles.items():
            if base.last_articles.get(library) != article_id:
                merged.last_articles.pop(library, None)
                merged.last_articles[library] = article_id
        for article_id, offset in self.positions.items():
            if base.positions.get(article_id) != offset:
                merged.remember_position(article_id, offset)
        return merged

    def adopt(self, other: State) -> None:
        """Take `other`'s content in place (widgets hold these very set and list objects)."""
        self.read.clear()
        self.read.update(other.read)
        self.bookmarks[:] = other.bookmarks
        self.last_article = other.last_article
        self.last_articles = dict(other.last_articles)
        self.bookmark_libraries = dict(other.bookmark_libraries)
        self.positions.clear()
        self.positions.update(other.positions)
        self.baseline = other.copy()

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": STATE_VERSION,
            "read": sorted(self.read),
            "bookmarks": list(self.bookmarks),
            "positions": dict(self.positions),
        }
        if self.last_article:
            data["last_article"] = self.last_article
        if self.last_articles:
            data["last_articles"] = dict(self.last_articles)
        if self.bookmark_libraries:
            data["bookmark_libraries"] = dict(self.bookmark_libraries)
        return data


def library_key(roots: Sequence[Path]) -> str:
    """What names a library in state.toml: its folders and files, absolute, as in $PATH."""
    return os.pathsep.join(str(root.absolute()) for root in roots)


def state_file() -> Path:
    return state_dir() / "state.toml"


def _strings(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key!r} must be a list of strings")
    return value


def parse_state(data: dict[str, Any]) -> State:
    """A State from decoded TOML; ValueError names the key when it does not fit."""
    positions = data.get("positions", {})
    if not isinstance(positions, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in positions.values()
    ):
        raise ValueError("'positions' must be a table of article id = offset")
    last = data.get("last_article")
    if last is not None and not isinstance(last, str):
        raise ValueError("'last_article' must be a string")
    last_articles = data.get("last_articles", {})
    if not isinstance(last_articles, dict) or not all(
        isinstance(v, str) for v in last_articles.values()
    ):
        raise ValueError("'last_articles' must be a table of library = article id")
    bookmark_libraries = data.get("bookmark_libraries", {})
    if not isinstance(bookmark_libraries, dict) or not all(
        isinstance(v, str) for v in bookmark_libraries.values()
    ):
        raise ValueError("'bookmark_libraries' must be a table of article id = library")
    return State(
        read=set(_strings(data, "read")),
        bookmarks=list(dict.fromkeys(_strings(data, "bookmarks"))),
        last_article=last,
        last_articles=dict(last_articles),
        bookmark_libraries=dict(bookmark_libraries),
        positions=dict(positions),
    )


class _Spoilt(ValueError):
    """The file is ours but unusable (not TOML, not our keys, too large): move it aside."""


def _read_file(path: Path) -> State:
    """The state in `path`: _Spoilt if it is unusable, UnsafePathError if it is not a regular
    file (a symbolic link, a named pipe) and OSError if it cannot be read."""
    try:
        data = read_regular(path, MAX_STATE_BYTES, follow_links=False)
    except FileTooLargeError as error:
        raise _Spoilt(error.reason) from None
    try:
        state = parse_state(tomllib.loads(data.decode("utf-8")))
    except ValueError as error:  # with TOMLDecodeError and UnicodeDecodeError
        raise _Spoilt(str(error)) from None
    state.prune()
    return state


def load_state(path: Path | None = None) -> tuple[State, str | None]:
    """The saved state, and a notice when the file was unusable (it is moved aside, kept)."""
    path = path or state_file()
    try:
        if path.parent.exists():
            check_private_dir(path.parent)  # a file in a folder others can write may be planted
        state = _read_file(path)
    except FileNotFoundError:
        return State(baseline=State()), None
    except UnsafePathError as error:
        return State(save_blocked=True), f"{error}; reading marks will not be saved this time"
    except OSError as error:
        # Unreadable (permissions, I/O): leave it, and never write over it in this run.
        notice = f"{path}: {error}; reading marks will not be saved this time"
        return State(save_blocked=True), notice
    except _Spoilt as error:
        try:
            kept = move_aside(path, "bad")
        except OSError as move_error:
            notice = f"{path}: {error}; could not move it aside ({move_error}), so it is not saved"
            return State(save_blocked=True), notice
        return State(baseline=State()), f"{path}: {error}; moved to {kept.name}, starting afresh"
    state.baseline = state.copy()
    return state, None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` itself (no lock file is left behind)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _write(state: State, path: Path) -> None:
    state.prune()
    replace_atomically(path, tomli_w.dumps(state.to_toml()).encode("utf-8"))


def save_state(state: State, path: Path | None = None) -> None:
    """Write `state` atomically, private to its owner.

    A state that came from `load_state` (it has a baseline) is merged: only what changed since it
    was loaded or last saved is laid over the file as it is now, and `state` then holds what was
    written, marks another reader saved meanwhile included. A state built by hand is written as
    it is. OSError is the caller's to report (an UnsafePathError when the folder is not private
    to the user or the file is not a regular file); the file is left whole when writing fails.
    """
    if state.save_blocked:
        return
    path = path or state_file()
    private_dir(path.parent)
    with _locked(path.parent):
        try:
            disk = _read_file(path)
        except FileNotFoundError:
            disk = State()
        except _Spoilt:  # spoilt since it was loaded: keep it aside, as at start-up
            move_aside(path, "bad")
            disk = State()
        merged = state.merged_into(disk) if state.baseline is not None else state.copy()
        _write(merged, path)
    if state.baseline is not None:
        state.adopt(merged)
