"""The filesystem rules for a server shared with other users, in one place.

Some folders the program is pointed at (a team folder, a world-writable cache) let other users plant
files or symbolic links in them, so:

- A folder that holds our files must be owned by the user and writable by no one else, as ssh demands
  of ~/.ssh (`private_dir`). Only folders the program creates itself are given a mode.
- A file we open for writing is opened without following a symbolic link and must turn out to be a
  regular file of our own (`open_private`); a whole file is replaced atomically, never written in
  place (`replace_atomically`). `check_own_file` checks a file that another library (SQLite, jieba)
  will open by its name.
- A file we read is opened without blocking (a named pipe would wait for ever, a device read for
  ever), and what was opened must be a regular file under a size limit (`read_regular`).
- A file of ours we cannot use (a damaged cache, a spoilt state.toml) is renamed aside, never
  deleted (`move_aside`).

Every refusal is an `UnsafePathError`, whose message names the path and says why.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


class UnsafePathError(OSError):
    """A path these rules refuse. `str()` is "PATH: why"; `reason` is the why alone."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(f"{os.fspath(path)}: {reason}")
        self.path = os.fspath(path)
        self.reason = reason


class FileTooLargeError(UnsafePathError):
    """A file over the size limit its reader set."""


def _owner(uid: int) -> str:
    try:
        import pwd

        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except (ImportError, KeyError):
        return f"uid {uid}"


def check_private_dir(path: Path) -> os.stat_result:
    """Raise UnsafePathError unless `path` is a directory owned by the user that neither its group
    nor others may write (a symbolic link to such a directory is fine: its target is checked)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnsafePathError(path, "no such directory") from None
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafePathError(path, "not a directory")
    if info.st_uid != os.geteuid():
        raise UnsafePathError(
            path, f"owned by {_owner(info.st_uid)}, not by you: other users could plant files in it"
        )
    if info.st_mode & 0o022:
        who = " and ".join(
            name for bit, name in ((0o020, "its group"), (0o002, "others")) if info.st_mode & bit
        )
        raise UnsafePathError(
            path,
            f"writable by {who} (mode {stat.S_IMODE(info.st_mode):o}): other users could plant "
            "files in it (chmod go-w to use it)",
        )
    return info


def private_dir(path: Path) -> Path:
    """`path` as a folder for our files: created 0700 when missing (with any missing parents, each
    0700 too, as XDG asks of ~/.cache and the like), then checked by `check_private_dir`.

    A folder that already exists is never given another mode: it may be a team folder, or `/`."""
    missing = [folder for folder in (path, *path.parents) if not os.path.lexists(folder)]
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR_MODE)
        except FileExistsError:  # made meanwhile by another process: not ours to change
            continue
        # mkdir's mode is filtered by the umask; set it on what was just made, through a handle so
        # a folder swapped for a link meanwhile is not followed.
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            os.fchmod(handle, PRIVATE_DIR_MODE)
        finally:
            os.close(handle)
    check_private_dir(path)
    return path


def _check_opened(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise UnsafePathError(path, "not a regular file (a named pipe, socket or device)")
    if info.st_uid != os.geteuid():
        raise UnsafePathError(path, f"owned by {_owner(info.st_uid)}, not by you")
    if info.st_nlink > 1:  # a hard link to someone else's file, made where we write
        raise UnsafePathError(path, "has other hard links; not writing through it")


def check_own_file(path: Path) -> None:
    """Raise UnsafePathError unless `path` is missing, or a regular file of ours that is not a
    symbolic link: for files another library opens by name (SQLite's -wal, jieba's cache)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise UnsafePathError(path, "is a symbolic link; not following it")
    _check_opened(path, info)


def open_private(path: Path, *, exclusive: bool = False) -> int:
    """A read-write descriptor of `path`, created 0600 when missing (`exclusive`: it must be
    new), never through a symbolic link, and only if it is a regular file of ours."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(path, flags | (os.O_EXCL if exclusive else 0), PRIVATE_FILE_MODE)
    except OSError as error:
        if error.errno == errno.ELOOP or (error.errno == errno.EEXIST and os.path.islink(path)):
            raise UnsafePathError(path, "is a symbolic link; not following it") from None
        if error.errno == errno.ENXIO:  # a named pipe without a reader
            raise UnsafePathError(path, "not a regular file (a named pipe)") from None
        raise
    try:
        _check_opened(path, os.fstat(descriptor))
        os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def replace_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: a new 0600 file in the same folder, synced, then
    renamed over `path` (a symbolic link at `path` is replaced, never followed)."""
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}-", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_regular(path: Path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes.

    Opened without blocking and checked after opening, so a file swapped for a named pipe or a
    device meanwhile is refused rather than waited on. OSError (FileNotFoundError…) passes through.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_links:
            raise UnsafePathError(path, "is a symbolic link; not following it") from None
        raise
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise UnsafePathError(path, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePathError(path, "not a regular file (a named pipe, socket or device)")
        if info.st_size > limit:
            raise FileTooLargeError(path, too_large(info.st_size, limit))
    except BaseException:
        os.close(descriptor)
        raise
    with os.fdopen(descriptor, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # grew while being read
        raise FileTooLargeError(path, too_large(len(data), limit))
    return data


def too_large(size: int, limit: int) -> str:
    shown = f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit // 1024} KiB"
    return f"too large ({size / 1e6:.1f} MB; the limit is {shown})"


def move_aside(path: Path, label: str, companions: Iterable[str] = ()) -> Path:
    """Rename a file of ours we cannot use to `<name>.<label>-<date-time>` beside it, never over
    another file, so the user can look at it; files named `path` + each of `companions` (`-wal`)
    follow it when they are there. OSError when `path` itself cannot be moved."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    counter = 1
    while os.path.lexists(target):
        counter += 1
        target = path.with_name(f"{path.name}.{label}-{stamp}-{counter}")
    os.replace(path, target)
    for suffix in companions:
        with contextlib.suppress(OSError):
            os.replace(f"{path}{suffix}", f"{target}{suffix}")
    return target
