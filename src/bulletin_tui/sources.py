"""Finding issue files, reading and decoding them. Each failure names the file; none stops the rest."""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from bulletin_tui.model import FileError, Issue
from bulletin_tui.parse.sanitize import sanitize_text
from bulletin_tui.private_files import FileTooLargeError, UnsafePathError, read_regular

EXTENSIONS = frozenset({".md", ".markdown", ".txt"})
# Issues are a few hundred KB; a file this large is a mistake (a log, a dump) and would hold the whole
# library hostage while it parses, so it is refused with a message.
MAX_FILE_BYTES = 16 * 1024 * 1024

Progress = Callable[[int, int, str], None]  # (files done, files in all, current path)


class SourceError(Exception):
    """A file that cannot be read as an issue; the message says why."""


def discover(roots: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every issue file under `roots`, sorted, each once.

    A root that is a file is taken whatever its extension. Directory symlinks are followed but a loop
    is entered only once. Dangling links and missing roots are returned too, so that reading them
    reports the problem with the file's name; so is a folder every user may write, in place of
    what it holds (see `read_bytes`).
    """
    found: dict[str, Path] = {}
    seen_dirs: set[tuple[int, int]] = set()
    for root in roots:
        path = Path(root)
        if not path.is_dir():
            found.setdefault(os.fsdecode(path), path)
            continue
        for directory, subdirs, files in os.walk(path, followlinks=True):
            try:
                info = os.stat(directory)
            except OSError:
                subdirs[:] = []
                continue
            key = (info.st_dev, info.st_ino)
            if info.st_mode & stat.S_IWOTH:  # anyone could have put what is in it there
                found.setdefault(os.fsdecode(directory), Path(directory))
                subdirs[:] = []
                continue
            if key in seen_dirs:
                subdirs[:] = []
                continue
            seen_dirs.add(key)
            subdirs.sort()
            for name in files:
                candidate = Path(directory, name)
                if candidate.suffix.lower() in EXTENSIONS:
                    found.setdefault(os.fsdecode(candidate), candidate)
    return sorted(found.values())


# Kept by sanitize_text (they drive no terminal) but they break a line or a table row: a file name
# holding one would give an article id or a message spread over two lines.
_BREAKS = str.maketrans({"\n": "\\n", "\t": "\\t", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def display_path(path: Path) -> str:
    """The path as text that is safe to print, on one line: undecodable bytes of a non-UTF-8 file
    name shown escaped, newlines and tabs shown as \\n and \\t, and control characters or bidi
    overrides dropped. Issue (and so article) ids are made from it."""
    return sanitize_text(os.fsencode(path).decode("utf-8", "backslashreplace").translate(_BREAKS))


def read_bytes(path: Path) -> bytes:
    """The bytes of an issue file; raises SourceError saying what is wrong.

    Opened without blocking and checked after opening (see private_files.read_regular): a file
    swapped for a named pipe between listing and reading is refused, never waited on."""
    try:
        if path.is_dir() and (mode := os.stat(path).st_mode) & stat.S_IWOTH:
            raise SourceError(
                f"a folder every user may write (mode {stat.S_IMODE(mode):o}): another user could "
                "plant issue files or links in it, so nothing in it is read (chmod o-w to read it)"
            )
        if path.is_symlink() and not path.exists():
            try:
                path.stat()
            except OSError as error:
                if error.errno == errno.ELOOP:
                    raise SourceError("symbolic link loop") from None
            raise SourceError("dangling symbolic link (its target does not exist)")
        return read_regular(path, MAX_FILE_BYTES)
    except FileTooLargeError as error:
        raise SourceError(f"file {error.reason}") from None
    except UnsafePathError as error:
        raise SourceError(error.reason) from None
    except FileNotFoundError:
        raise SourceError("no such file or directory") from None
    except PermissionError:
        raise SourceError("permission denied") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SourceError("symbolic link loop") from None
        raise SourceError(error.strerror or str(error)) from None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SourceError("invalid UTF-16 despite its byte-order mark") from None
    else:
        if b"\x00" in data:
            raise SourceError("binary file (contains NUL bytes)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as error:
                raise SourceError(
                    f"cannot decode as UTF-8, UTF-16 or GB18030 (bad byte at offset {error.start})"
                ) from None
    # Text that decodes but is mostly control characters is binary that happened to decode.
    if len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise SourceError("binary file (mostly control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> str:
    """The decoded text of an issue file; raises SourceError saying what is wrong."""
    text = decode(read_bytes(path))
    if not text.strip():
        raise SourceError("empty file (nothing but white space)")
    return text


def load_issue(path: Path, issue_id: str | None = None) -> Issue | FileError:
    """Read and parse one file. Never raises for a bad file: returns a FileError instead."""
    from bulletin_tui.parse import parse_issue

    try:
        text = read_text(path)
    except SourceError as error:
        return FileError(display_path(path), str(error))
    stem = display_path(Path(path.name)).rsplit(".", 1)[0]
    return parse_issue(text, path=display_path(path), issue_id=issue_id or stem, stem=stem)


def issue_ids(paths: list[Path], roots: Sequence[str | os.PathLike[str]] = ()) -> dict[Path, str]:
    """A unique id for each path: its file stem, with a short hash when two stems collide.

    When the stems collide across library paths (two bulletins both name files by date), the file
    under the earliest path keeps its bare stem, so adding a publication after the others never
    renames issues whose read marks and bookmarks are saved under their ids.
    """
    stems = [display_path(Path(p.name)).rsplit(".", 1)[0] for p in paths]
    places = [os.fsdecode(root).rstrip(os.sep) for root in roots]

    def owner(path: Path) -> int:
        text = os.fsdecode(path)
        held = (
            i for i, place in enumerate(places) if text == place or text.startswith(place + os.sep)
        )
        return next(held, len(places))

    holders: dict[str, list[Path]] = {}
    for path, stem in zip(paths, stems, strict=True):
        holders.setdefault(stem, []).append(path)
    ids: dict[Path, str] = {}
    for stem, held in holders.items():
        keeper = None
        if len(held) > 1:
            owners = [owner(path) for path in held]
            first = [path for path, at in zip(held, owners, strict=True) if at == min(owners)]
            keeper = first[0] if len(first) == 1 else None
        for path in held:
            if len(held) == 1 or path == keeper:
                ids[path] = stem
            else:
                ids[path] = f"{stem}-{hashlib.sha1(os.fsencode(path)).hexdigest()[:6]}"
    return ids


def load_all(
    roots: Iterable[str | os.PathLike[str]], progress: Progress | None = None
) -> tuple[list[Issue], list[FileError]]:
    """Parse every issue under `roots` (without a cache)."""
    roots = list(roots)
    paths = discover(roots)
    ids = issue_ids(paths, roots)
    issues: list[Issue] = []
    errors: list[FileError] = []
    for done, path in enumerate(paths, start=1):
        loaded = load_issue(path, ids[path])
        (errors if isinstance(loaded, FileError) else issues).append(loaded)  # type: ignore[arg-type]
        if progress is not None:
            progress(done, len(paths), display_path(path))
    return issues, errors
