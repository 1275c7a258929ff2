"""Cache faults, met by the whole program: it opens, and nothing the user saved is lost.

Each case runs the installed reader on a real pseudo-terminal for a user who has read marks, a
bookmark and a last place saved in state.toml, damages the cache (or its disk) the way the world
does, and checks that the reader opens on the library, restores the place, takes a new bookmark and
quits cleanly, with every mark made before still in state.toml. The cache's own handling of each
fault is tested in test_store_faults.py; this is the same list seen from the user's chair.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin_tui.state import State, load_state, save_state
from tests.reliability_support import (
    PAINTED,
    environment,
    mounted_tmpfs,
    program,
    reader,
    remount_read_only,
    seed_issues,
    shows,
    visible,
)

LAST = "issue-0003.2"  # the seed's second article: 招商引资蹄疾步稳
SAVED = State(
    read={"issue-0000.1", "issue-0001.2", "issue-0001.3"},
    bookmarks=["issue-0002.4", "issue-0000.5"],
    last_article=LAST,
    positions={LAST: 0, "issue-0000.1": 12},
)


def state_path(home: Path) -> Path:
    return home / ".local" / "state" / "bulletin-tui" / "state.toml"


def cache_files(home: Path) -> list[Path]:
    return sorted((home / ".cache" / "bulletin-tui").glob("library-*.sqlite3"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A user with marks saved from earlier sessions."""
    folder = tmp_path / "home"
    folder.mkdir()
    save_state(SAVED, state_path(folder))
    return folder


def run_cli(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program()), *args],
        env=environment(home, **env),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def read_and_bookmark(home: Path, library: Path, *expected: str, **env: str) -> str:
    """Open the reader, wait until it has indexed and restored the last article, bookmark it and
    quit with q; every text in `expected` must have been shown. Returns what was shown."""
    app = reader(home, library, **env)
    try:
        app.wait_for(PAINTED, "the reader, indexed")
        app.wait_for("2 / 5 articles", "the restored article")
        for phrase in expected:
            app.wait_for(lambda text, phrase=phrase: shows(text, phrase), phrase, since=0)
        app.send("m")
        app.wait_for("Bookmarked", "the bookmark")
        app.send("q")
        assert app.wait() == 0
    finally:
        app.close()
    return visible(app.raw)


def assert_marks_kept(home: Path, *, bookmarked: bool = True) -> State:
    state, notice = load_state(state_path(home))
    assert notice is None
    assert SAVED.read <= state.read
    assert state.bookmarks[: len(SAVED.bookmarks)] == SAVED.bookmarks
    if bookmarked:
        assert LAST in state.bookmarks
    assert state.last_article == LAST
    return state


def assert_library_whole(home: Path, library: Path, files: int) -> None:
    """A later run finds the whole library in the cache, with no notice."""
    result = run_cli(home, "list", "--json", str(library))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(json.loads(result.stdout)["issues"]) == files


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_cache_is_rebuilt_and_the_marks_survive(
    home: Path, tmp_path: Path, damage: str
) -> None:
    library = seed_issues(tmp_path / "library", 12)
    assert run_cli(home, "index", str(library)).returncode == 0
    (database,) = cache_files(home)
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = database.stat().st_size
    if damage == "garbage":
        database.write_bytes(os.urandom(size))
    else:
        with database.open("r+b") as handle:
            handle.truncate(size // 2 + 100)

    read_and_bookmark(home, library, "damaged")
    assert_marks_kept(home)
    assert list(database.parent.glob(f"{database.name}.corrupt-*")), "the damaged file is kept"
    assert_library_whole(home, library, 12)


def test_a_read_only_cache_directory(home: Path, tmp_path: Path) -> None:
    library = seed_issues(tmp_path / "library", 6)
    with mounted_tmpfs(home / ".cache", "1m") as cache_root:
        remount_read_only(cache_root)
        read_and_bookmark(home, library, "not writable", "using an in-memory cache")
        assert not list(cache_root.iterdir())
    assert_marks_kept(home)


def test_a_reader_killed_mid_refresh(home: Path, tmp_path: Path) -> None:
    library = seed_issues(tmp_path / "library", 150)
    before = state_path(home).read_bytes()
    app = reader(home, library)
    try:
        stored = 0
        deadline = time.monotonic() + 120
        while stored < 30 and time.monotonic() < deadline:
            app.settle(quiet=0.05, limit=0.1)
            for database in cache_files(home):
                with (
                    contextlib.suppress(sqlite3.Error),
                    contextlib.closing(sqlite3.connect(database, timeout=1)) as conn,
                ):
                    stored = conn.execute("SELECT count(*) FROM files").fetchone()[0]
        assert 30 <= stored < 150, f"could not catch the refresh midway ({stored} files stored)"
        app.kill(signal.SIGKILL)
    finally:
        app.close()
    assert state_path(home).read_bytes() == before, "state.toml changed under a kill -9"

    read_and_bookmark(home, library)
    assert_marks_kept(home)
    assert_library_whole(home, library, 150)


def test_two_readers_and_an_indexer_at_once(home: Path, tmp_path: Path) -> None:
    library = seed_issues(tmp_path / "library", 40)
    readers = [reader(home, library) for _ in range(2)]
    try:
        indexer = run_cli(home, "index", str(library))
        assert indexer.returncode == 0, indexer.stderr
        for app in readers:
            app.wait_for(PAINTED, "the reader, indexed")
            app.wait_for("2 / 5 articles", "the restored article")
        for app in readers:
            app.send("q")
            assert app.wait() == 0
        for app in readers:
            shown = app.raw.decode("utf-8", "replace")
            assert "locked" not in shown and "Indexing failed" not in shown
    finally:
        for app in readers:
            app.close()
    assert_marks_kept(home, bookmarked=False)
    assert_library_whole(home, library, 40)


def test_marks_made_in_two_readers_at_once_are_all_kept(home: Path, tmp_path: Path) -> None:
    library = seed_issues(tmp_path / "library", 6)
    first, second = reader(home, library), reader(home, library)
    try:
        for app in (first, second):
            app.wait_for(PAINTED, "the reader, indexed")
            app.wait_for("2 / 5 articles", "the restored article")
        first.send("m")  # bookmark issue-0003.2 in one window …
        first.wait_for("Bookmarked")
        first.send("q")
        assert first.wait() == 0
        second.send("]")  # … and read the next article in the other
        second.wait_for("3 / 5 articles")
        second.send("q")
        assert second.wait() == 0
    finally:
        first.close()
        second.close()
    state, _ = load_state(state_path(home))
    assert SAVED.read | {"issue-0003.3"} <= state.read
    assert [*SAVED.bookmarks, LAST] == state.bookmarks


def _fill(folder: Path) -> None:
    """Write until the file system holding `folder` has no space left."""
    with contextlib.suppress(OSError), (folder / "filler").open("wb", buffering=0) as handle:
        while True:
            handle.write(b"\0" * 65536)


def _full_disk_env(disk: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(disk / "cache"), "XDG_STATE_HOME": str(disk / "state")}


def test_a_disk_that_fills_up(tmp_path: Path) -> None:
    library = seed_issues(tmp_path / "library", 6)
    home = tmp_path / "home"
    home.mkdir()
    with mounted_tmpfs(tmp_path / "disk", "2m") as disk:
        env = _full_disk_env(disk)
        save_state(SAVED, disk / "state" / "bulletin-tui" / "state.toml")
        assert run_cli(home, "index", str(library), **env).returncode == 0
        _fill(disk)
        before = (disk / "state" / "bulletin-tui" / "state.toml").read_bytes()
        # A changed file must be written to the cache, which cannot be.
        changed = library / "issue-0004.txt"
        changed.write_text(changed.read_text("utf-8") + "\n\n补充。\n", "utf-8")
        app = reader(home, library, **env)
        try:
            app.wait_for("2 / 5 articles", "the restored article")
            notice = ("disk is full", "using an in-memory cache")
            app.wait_for(lambda text: any(shows(text, n) for n in notice), "a notice", since=0)
            app.send("m")
            app.wait_for("Bookmarked")
            app.send("q")
            assert app.wait() == 0
        finally:
            app.close()
        after = (disk / "state" / "bulletin-tui" / "state.toml").read_bytes()
        assert after == before, "state.toml was damaged by a failed save"
        state, notice = load_state(disk / "state" / "bulletin-tui" / "state.toml")
        assert notice is None and state == SAVED
        leftovers = [p.name for p in (disk / "state" / "bulletin-tui").iterdir()]
        assert leftovers == ["state.toml"]


def test_a_disk_full_from_the_start(tmp_path: Path) -> None:
    library = seed_issues(tmp_path / "library", 6)
    home = tmp_path / "home"
    home.mkdir()
    with mounted_tmpfs(tmp_path / "disk", "1m") as disk:
        env = _full_disk_env(disk)
        save_state(SAVED, disk / "state" / "bulletin-tui" / "state.toml")
        _fill(disk)
        listed = run_cli(home, "list", str(library), **env)
        assert "Traceback" not in listed.stderr and "disk is full" in listed.stderr
        assert "招商引资蹄疾步稳" in listed.stdout
        read_and_bookmark(home, library, "disk is full", **env)


_SAVE_FOREVER = """
import sys
from pathlib import Path
from bulletin_tui.state import State, save_state
path = Path(sys.argv[1])
state = State(read={"keep.1"}, bookmarks=["keep.2"])
number = 0
while True:
    number += 1
    state.read.add(f"new.{number}")
    save_state(state, path)
    if number == 1:
        print("saving", flush=True)
"""


def test_a_kill_during_a_save_leaves_a_whole_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state" / "state.toml"
    for delay in (0.0, 0.15, 0.3, 0.45):
        command = [sys.executable, "-c", _SAVE_FOREVER, str(path)]
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as saver:
            # Killed while it saves over and over, not before its first save: starting Python
            # and importing takes longer than these delays on a busy machine.
            assert saver.stdout is not None and saver.stdout.readline() == "saving\n"
            time.sleep(delay)
            saver.send_signal(signal.SIGKILL)
        state, notice = load_state(path)
        assert notice is None, notice
        assert {"keep.1"} < state.read and state.bookmarks == ["keep.2"]
