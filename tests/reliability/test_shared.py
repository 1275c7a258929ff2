"""On a shared office server: nothing goes to /tmp or any shared folder, everything written is the
user's alone, and a read-only home still gives a working program.

Writes are watched two ways. Python's audit hooks see every file the program opens for writing,
every folder it makes, every rename and every SQLite database it opens, whoever asks (the program,
Textual, jieba), and name it. The temporary folder (TMPDIR, which Python, SQLite and jieba all
honour) is watched with inotify, which also sees files made and deleted at once from C code
(SQLite's temporary files). The program runs with umask 000, so any mode it does not set itself
would show.
"""

from __future__ import annotations

import ctypes
import os
import stat
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.reliability_support import (
    PAINTED,
    PtyProgram,
    environment,
    mounted_tmpfs,
    program,
    remount_read_only,
    seed_issues,
    shows,
)

JIEBA_QUERY = "招商引资工作"  # unspaced Chinese of three or more characters: cut by jieba
HOOK = r"""
import os, sys
log = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
allowed = tuple(sys.argv[2].split(os.pathsep))
ancestors = {os.path.dirname(root) for root in allowed}
while any(len(a) > 1 and os.path.dirname(a) not in ancestors for a in ancestors):
    ancestors |= {os.path.dirname(a) for a in ancestors}
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
EVENTS = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.chmod", "os.truncate",
          "os.symlink", "os.link", "os.utime", "tempfile.mkstemp", "tempfile.mkdtemp",
          "sqlite3.connect", "shutil.copyfile", "shutil.rmtree", "shutil.move"}


def inside(path):
    path = os.path.abspath(os.fsdecode(path))
    return path.startswith("/dev/") or any(path == r or path.startswith(r + "/") for r in allowed)


def hook(event, args):
    if event == "open":
        path, mode, flags = args
        writing = any(c in mode for c in "wax+") if isinstance(mode, str) else flags & WRITING
        paths = [path] if writing else []
    elif event in EVENTS:
        paths = [a for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
        if event == "os.rename":
            paths = list(args[:2])
    else:
        return
    for path in paths:
        if isinstance(path, int) or path in (":memory:", b":memory:", ""):
            continue
        if event in ("os.mkdir", "os.chmod") and os.path.abspath(os.fsdecode(path)) in ancestors:
            continue  # ~/.cache, ~/.local/state: made (0700) on the way to our own folders
        if "__pycache__" in os.fsdecode(path).split("/"):
            continue  # Python's own bytecode cache (and its folder), beside the installed modules
        if not inside(path):
            os.write(log, f"{event} {os.fsdecode(path)}\n".encode("utf-8", "backslashreplace"))


sys.addaudithook(hook)
from bulletin_tui.cli import main
sys.exit(main(sys.argv[3:]))
"""

IN_CREATE, IN_MOVED_TO = 0x100, 0x80


@contextmanager
def watched(folder: Path) -> Iterator[list[str]]:
    """Names made in `folder` while the block runs (inotify: even files deleted straight away)."""
    libc = ctypes.CDLL(None, use_errno=True)
    descriptor = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if (
        descriptor < 0
        or libc.inotify_add_watch(descriptor, os.fsencode(folder), IN_CREATE | IN_MOVED_TO) < 0
    ):
        pytest.skip("inotify is not available")
    names: list[str] = []
    try:
        yield names
    finally:
        try:
            data = os.read(descriptor, 1 << 20)
        except BlockingIOError:
            data = b""
        os.close(descriptor)
        at = 0
        while at < len(data):
            _wd, _mask, _cookie, length = struct.unpack_from("iIII", data, at)
            names.append(os.fsdecode(data[at + 16 : at + 16 + length].rstrip(b"\0")))
            at += 16 + length


class User:
    """A user of the shared server: a home with the XDG defaults, a library and an export folder."""

    def __init__(self, root: Path) -> None:
        self.home = root / "home"
        self.home.mkdir()
        self.tmp = root / "tmp"  # TMPDIR: what the system's /tmp would get
        self.tmp.mkdir()
        self.exports = root / "exports"
        self.exports.mkdir()
        self.library = seed_issues(root / "library", 8)
        self.log = root / "writes.log"
        self.log.touch()
        config = self.home / ".config" / "bulletin-tui" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(f'export_dir = "{self.exports}"\n', encoding="utf-8")
        self.cache = self.home / ".cache" / "bulletin-tui"
        self.state = self.home / ".local" / "state" / "bulletin-tui"

    def env(self) -> dict[str, str]:
        return environment(self.home, TMPDIR=str(self.tmp))

    def argv(self, *args: str) -> list[str]:
        allowed = os.pathsep.join(map(str, (self.cache, self.state, self.exports)))
        return [sys.executable, "-c", HOOK, str(self.log), allowed, *args]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.argv(*args),
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
            preexec_fn=lambda: os.umask(0),
        )

    def session(self) -> None:
        """The reader: indexed, a search cut by jieba, a bookmark, an export, quit."""
        app = PtyProgram(self.argv("read", str(self.library)), self.env(), umask=0)
        try:
            mark = app.wait_for(PAINTED, "the reader, indexed")
            app.send("]", "m", "e")
            mark = app.wait_for("Saved", "the export", since=mark)
            app.send("/")
            mark = app.wait_for("Type to search", "the search pane", since=mark)
            app.send(JIEBA_QUERY)
            app.wait_for("result", "the results", since=mark)
            app.send("\r", "q")
            assert app.wait() == 0
        finally:
            app.close()

    def writes_outside(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> User:
    """One user's day: index, search (jieba included), list, show, export, then the reader."""
    someone = User(tmp_path_factory.mktemp("shared"))
    with watched(someone.tmp) as made:
        library = str(someone.library)
        for args in (
            ("index", library),
            ("search", JIEBA_QUERY, library),
            ("search", "招商", library),
            ("list", library),
            ("show", "issue-0001.2", library),
            ("export", "--json", library),
        ):
            result = someone.run(*args)
            assert result.returncode == 0, (args, result.stderr)
        someone.session()
    someone.made_in_tmp = made  # type: ignore[attr-defined]
    return someone


def test_nothing_is_written_to_the_temporary_folder(user: User) -> None:
    assert user.made_in_tmp == []  # type: ignore[attr-defined]
    assert list(user.tmp.iterdir()) == []


def test_nothing_is_written_outside_the_users_own_folders(user: User) -> None:
    assert user.writes_outside() == []


def test_jieba_dictionary_cache_is_in_the_cache_folder(user: User) -> None:
    assert (user.cache / "jieba.cache").is_file()


def test_everything_written_is_private(user: User) -> None:
    assert len(list(user.exports.iterdir())) == 1  # the export is the user's to share
    for top in (user.cache, user.state):
        assert top.is_dir()
        for path in (top, *top.rglob("*")):
            mode = stat.S_IMODE(path.lstat().st_mode)
            expected = 0o700 if path.is_dir() else 0o600
            assert mode == expected, f"{path} is {mode:o}, not {expected:o}"
    assert (user.state / "state.toml").is_file()


def test_the_xdg_folders_it_makes_are_private(user: User) -> None:
    for made in (".cache", ".local", ".local/state"):
        mode = stat.S_IMODE((user.home / made).stat().st_mode)
        assert mode == 0o700, f"~/{made} is {mode:o}"


@pytest.fixture
def read_only_home(tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "home", "1m") as home:
        remount_read_only(home)
        yield home


def _as_user(home: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program()), *args],
        env=environment(home, TMPDIR=str(tmp)),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_a_read_only_home_still_lists_and_searches(read_only_home: Path, tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    listed = _as_user(read_only_home, tmp, "list")
    assert listed.returncode == 0, listed.stderr
    assert "招商引资蹄疾步稳" in listed.stdout  # the bundled sample
    assert "not writable" in listed.stderr and "in-memory cache" in listed.stderr
    assert "Traceback" not in listed.stderr
    found = _as_user(read_only_home, tmp, "search", "招商")
    assert found.returncode == 0, found.stderr
    assert "招商引资蹄疾步稳" in found.stdout and "not writable" in found.stderr


def test_a_read_only_home_still_opens_the_reader(read_only_home: Path, tmp_path: Path) -> None:
    app = PtyProgram([str(program())], environment(read_only_home, TMPDIR=str(tmp_path)))
    try:
        app.wait_for(PAINTED, "the reader")
        mark = app.wait_for(lambda text: shows(text, "not writable"), "the notice", since=0)
        app.send("/")
        mark = app.wait_for("Type to search", "the search pane", since=mark)
        app.send("招商")
        app.wait_for("result", "the search", since=mark)
        app.send("\r", "q")  # open the first hit, which takes the focus from the query box
        assert app.wait() == 0
    finally:
        app.close()


def test_a_read_only_home_writes_no_jieba_cache_to_tmp(
    read_only_home: Path, tmp_path: Path
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with watched(tmp) as made:
        found = _as_user(read_only_home, tmp, "search", JIEBA_QUERY)
    assert found.returncode == 0, found.stderr
    assert made == [] and list(tmp.iterdir()) == []
