"""Faults the cache survives: damage, an unwritable or full disk, rivals, and a kill mid-refresh."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin_tui.library import open_library
from bulletin_tui.search.postings import index_path
from bulletin_tui.store.cache import CacheFullError, cache_name
from tests.conftest import SEED


def _issues(folder: Path, count: int, paragraphs: int = 3) -> Path:
    """`count` distinct issue files made from the seed (distinct bytes: no two share a parse)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    past = time.time() - 60
    for number in range(count):
        path = folder / f"issue-{number:04d}.txt"
        extra = "\n\n".join(f"第{number}期补充段落{k}。" for k in range(paragraphs))
        path.write_text(f"{text}\n\n## 第{number}期专稿\n\n{extra}\n", encoding="utf-8")
        os.utime(path, (past, past))
    return folder


def _database(cache_dir: Path, folder: Path) -> Path:
    return cache_dir / cache_name([folder])


def _consistent(cache_dir: Path, folder: Path, files: int) -> None:
    """The cache holds every file once, each article with its text, and the index agrees."""
    database = _database(cache_dir, folder)
    with contextlib.closing(sqlite3.connect(database)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM files").fetchone() == (files,)
        docs = conn.execute("SELECT count(*) FROM docs").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM texts").fetchone() == (docs,)
    with contextlib.closing(sqlite3.connect(index_path(database))) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for table in ("indexed", "postings"):
            orphans = conn.execute(
                f"SELECT count(*) FROM {table} WHERE seg NOT IN (SELECT seg FROM segments)"
            ).fetchone()
            assert orphans == (0,), f"{table} entries point at a segment that is not there"
    library = open_library([folder], cache_dir=cache_dir, refresh=False)
    assert len(library.issues) == files
    hits = library.search("专稿", limit=files * 2)
    assert len(hits) == files  # each file's own article, found through the index or the scan
    library.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "pages"])
def test_damaged_database_is_moved_aside_and_rebuilt(tmp_path: Path, damage: str) -> None:
    folder = _issues(tmp_path / "issues", 80)
    cache_dir = tmp_path / "cache"
    open_library([folder], cache_dir=cache_dir).close()
    database = _database(cache_dir, folder)
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = database.stat().st_size
    if damage == "garbage":
        database.write_bytes(os.urandom(size))
    elif damage == "pages":  # a sound header over garbage: found only when the pages are read
        with database.open("r+b") as handle:
            handle.seek(4096)
            handle.write(os.urandom(size - 4096))
    else:
        with database.open("r+b") as handle:
            handle.truncate(size // 3 + 100)

    library = open_library([folder], cache_dir=cache_dir)
    assert len(library.notices) == 1, library.notices
    notice = library.notices[0]
    assert "damaged" in notice and "\n" not in notice and str(database) in notice
    assert list(cache_dir.glob(f"{database.name}.corrupt-*"))
    assert len(library.issues) == 80
    library.close()
    _consistent(cache_dir, folder, 80)


def test_unwritable_cache_directory_falls_back_to_memory(tmp_path: Path) -> None:
    folder = _issues(tmp_path / "issues", 3)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    library = open_library([folder], cache_dir=blocker / "cache")
    assert library.cache.path is None
    assert len(library.notices) == 1 and "in-memory" in library.notices[0]
    assert len(library.issues) == 3 and library.search("专稿")


@contextlib.contextmanager
def _mounted_tmpfs(where: Path, size: str, *options: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    flags = ",".join((f"size={size}", *options))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", flags, "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_read_only_cache_directory_falls_back_to_memory(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a read-only file system needs root")
    folder = _issues(tmp_path / "issues", 3)
    with _mounted_tmpfs(tmp_path / "ro", "1m", "ro") as read_only:
        library = open_library([folder], cache_dir=read_only / "cache")
        assert library.cache.path is None
        assert len(library.notices) == 1 and "not writable" in library.notices[0]
        assert len(library.issues) == 3


def test_full_disk_gives_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    folder = _issues(tmp_path / "issues", 40)
    with _mounted_tmpfs(tmp_path / "small", "256k") as small:
        cache_dir = small / "cache"
        library = open_library([folder], cache_dir=cache_dir, refresh=False)
        with pytest.raises(CacheFullError) as caught:
            library.refresh()
        message = str(caught.value)
        assert "disk is full" in message and str(cache_dir) in message
        library.close()
        # From the command line, whichever command meets it: the same message, no traceback,
        # and the work done in memory.
        for command in (["index"], ["list"], ["export", "--json"], ["search", "党建"]):
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bulletin_tui",
                    *command,
                    "--cache-dir",
                    str(cache_dir),
                    str(folder),
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=120,
            )
            assert result.returncode == 0, command
            assert "disk is full" in result.stderr, command
            assert "using an in-memory cache" in result.stderr, command
            assert "Traceback" not in result.stderr, command


_REFRESH = """
import sys
from bulletin_tui.library import open_library
from bulletin_tui.search.postings import index_path
library = open_library([sys.argv[1]], cache_dir=sys.argv[2], refresh=False)
library.refresh()
print(len(library.issues))
"""


def test_two_processes_refreshing_at_once(tmp_path: Path) -> None:
    folder = _issues(tmp_path / "issues", 120)
    cache_dir = tmp_path / "cache"
    rivals = [
        subprocess.Popen(
            [sys.executable, "-c", _REFRESH, str(folder), str(cache_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for rival in rivals:
        out, err = rival.communicate(timeout=300)
        assert rival.returncode == 0, err
        assert "locked" not in err
        assert out.strip() == "120"
    _consistent(cache_dir, folder, 120)


def test_a_refresh_killed_midway_leaves_a_usable_cache(tmp_path: Path) -> None:
    folder = _issues(tmp_path / "issues", 400)
    cache_dir = tmp_path / "cache"
    victim = subprocess.Popen(
        [sys.executable, "-c", _REFRESH, str(folder), str(cache_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    database = _database(cache_dir, folder)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and victim.poll() is None:
        with (
            contextlib.suppress(sqlite3.Error),
            contextlib.closing(sqlite3.connect(database, timeout=1)) as conn,
        ):
            stored = conn.execute("SELECT count(*) FROM files").fetchone()[0]
        if stored >= 30:
            break
        time.sleep(0.05)
    if victim.poll() is not None:
        pytest.fail("the refresh finished before it could be killed")
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert 30 <= stored < 400

    # The next run uses what was stored and repairs the rest.
    library = open_library([folder], cache_dir=cache_dir, refresh=False)
    assert len(library.issues) >= stored
    stats = library.refresh()
    assert stats.unchanged >= stored and stats.parsed + stats.unchanged == 400
    library.close()
    _consistent(cache_dir, folder, 400)
