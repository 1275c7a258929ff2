"""No orphaned workers: `index` and the reader parse a large new library in worker processes, and
however the main process ends, none of them stays behind.

Every program runs in a session of its own, and what is left is found by scanning the whole process
table for that session: workers, the reader's fork server and its resource tracker, and any process
the test never heard of. The reader runs on a pseudo-terminal under a shell that stays, as in a
terminal window or tmux, so its death sends no hang-up that would end the workers in its stead.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin_tui.store.refresh import POOL_CHARS
from tests.reliability_support import PAINTED, PtyProgram, environment, program

pytestmark = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2 or not Path("/proc/self/stat").exists(),
    reason="parse workers start only with two or more cores; process table read from /proc",
)

PARAGRAPH = "南京大学举行新学期开学典礼，师生代表共同回顾学校发展历程并展望未来。" * 20
GONE_WITHIN = 2.0  # seconds, from the moment the main process is gone
STARTED = 60.0  # seconds a loaded machine may take to reach the workers


def big_library(folder: Path) -> Path:
    """Enough text (about twice POOL_CHARS) for `index` and the reader to start parse workers."""
    folder.mkdir()
    per_file = 30
    files = 2 * POOL_CHARS // (len(PARAGRAPH) * per_file) + 1
    for number in range(files):
        parts = [f"# 南哪消息 第{number}期", ""]
        for article in range(per_file):
            parts += [f"## 第{number}期第{article}篇", "", PARAGRAPH, ""]
        (folder / f"issue-{number:04d}.md").write_text("\n".join(parts), "utf-8")
    return folder


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, …"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _running(fields: list[str] | None) -> bool:
    # A zombie waiting to be reaped holds no memory and counts as gone.
    return fields is not None and fields[0] not in ("Z", "X")


def _command(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()[:160]


def in_session(session: int) -> dict[int, str]:
    """Every running process of the whole machine in `session`, with its command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(entry.name)
            if _running(fields) and fields is not None and int(fields[3]) == session:
                found[int(entry.name)] = _command(int(entry.name))
    return found


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(entry.name)
            if _running(fields) and fields is not None and int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def left_over(session: int, keep: frozenset[int] = frozenset()) -> dict[int, str]:
    """What of `session` (but `keep`) still runs GONE_WITHIN seconds from now; {} sooner if nothing."""
    deadline = time.monotonic() + GONE_WITHIN
    while True:
        left = {pid: cmd for pid, cmd in in_session(session).items() if pid not in keep}
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.1)


def stored(home: Path) -> int:
    """Files the cache holds so far (read as another process would, while it is written)."""
    count = 0
    for database in (home / ".cache" / "bulletin-tui").glob("library-*.sqlite3"):
        with (
            contextlib.suppress(sqlite3.Error),
            contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as conn,
        ):
            count += conn.execute("SELECT count(*) FROM files").fetchone()[0]
    return count


def run_cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program()), *args],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def sessions() -> Iterator[list[int]]:
    """The sessions a test starts: what still runs in them at its end is killed, pass or fail."""
    started: list[int] = []
    yield started
    for session in started:
        for pid in in_session(session):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def start_index(tmp_path: Path, sessions: list[int]) -> tuple[subprocess.Popen[bytes], Path, Path]:
    """`index` of a big library, in a session of its own, once its workers have started."""
    library = big_library(tmp_path / "library")
    home = tmp_path / "home"
    home.mkdir()
    main = subprocess.Popen(
        [str(program()), "index", str(library)],
        env=environment(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    sessions.append(main.pid)
    deadline = time.monotonic() + STARTED
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and main.poll() is None:
        workers = children(main.pid)
        time.sleep(0.05)
    if len(workers) < 2:
        main.kill()
        main.wait()
        pytest.fail(f"index started {len(workers)} workers (exit {main.returncode})")
    return main, library, home


def wait_until_stored(home: Path, pid: int) -> int:
    """Wait until the workers' first results are in the cache; how many files that is."""
    deadline = time.monotonic() + STARTED
    count = 0
    while count == 0 and time.monotonic() < deadline and _running(_stat(pid)):
        time.sleep(0.05)
        count = stored(home)
    assert _running(_stat(pid)), "the program ended before it could be stopped"
    assert count > 0, "nothing was stored"
    return count


def assert_cache_whole_and_used(home: Path, library: Path, kept: int) -> None:
    """The next `index` keeps what was stored (at least `kept` files) and parses the rest."""
    files = len(list(library.iterdir()))
    again = run_cli(home, "index", str(library))
    assert again.returncode == 0, again.stderr
    summary = re.search(r"(\d+) parsed, (\d+) reused, (\d+) unchanged", again.stdout)
    assert summary, again.stdout
    parsed, reused, unchanged = map(int, summary.groups())
    assert unchanged >= kept and parsed + reused + unchanged == files, again.stdout
    listed = run_cli(home, "list", "--json", str(library))
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["issues"]) == files


def test_workers_end_when_index_is_killed(tmp_path: Path, sessions: list[int]) -> None:
    main, _library, _home = start_index(tmp_path, sessions)
    main.send_signal(signal.SIGKILL)
    main.wait()
    left = left_over(main.pid)
    assert not left, f"left running after a killed index: {left}"


def test_index_ends_with_its_workers(tmp_path: Path, sessions: list[int]) -> None:
    main, library, home = start_index(tmp_path, sessions)
    assert main.wait(timeout=300) == 0
    assert not in_session(main.pid), "processes outlived a finished index"
    assert stored(home) == len(list(library.iterdir()))


@pytest.mark.parametrize(
    ("sig", "group"),
    [
        pytest.param(signal.SIGINT, True, id="ctrl-c"),  # a terminal signals the whole group
        pytest.param(signal.SIGTERM, False, id="sigterm"),  # kill PID
        pytest.param(signal.SIGTERM, True, id="sigterm-group"),  # kill -- -PGID, a service manager
    ],
)
def test_a_stopped_index_stops_its_workers_and_leaves_the_cache_whole(
    tmp_path: Path, sessions: list[int], sig: signal.Signals, group: bool
) -> None:
    main, library, home = start_index(tmp_path, sessions)
    kept = wait_until_stored(home, main.pid)
    if group:
        os.killpg(main.pid, sig)
    else:
        main.send_signal(sig)
    # Generous: the signal is acted on between two Python steps, and a step may be a long C call
    # (SQLite storing a file, a segment of the index) on a loaded machine. Hanging still fails.
    main.wait(timeout=30)
    assert main.returncode != 0
    left = left_over(main.pid)
    assert not left, f"left running after {sig.name}: {left}"
    assert_cache_whole_and_used(home, library, kept)


def start_reader(tmp_path: Path, sessions: list[int]) -> tuple[PtyProgram, int, Path, Path]:
    """The reader on a pseudo-terminal under a shell, once its parse workers have started;
    returns the terminal (its pid is the shell's), the reader's pid, the library and home."""
    library = big_library(tmp_path / "library")
    home = tmp_path / "home"
    home.mkdir()
    script = '"$0" "$1"; echo "reader ended"; exec sleep 600'
    shell = PtyProgram(["/bin/sh", "-c", script, str(program()), str(library)], environment(home))
    sessions.append(shell.pid)
    deadline = time.monotonic() + STARTED
    app = 0
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline:
        shell.settle(quiet=0.05, limit=0.1)
        app = next(iter(children(shell.pid)), 0)
        # The reader refreshes from a thread, so its workers come from a fork server.
        workers = {pid for child in children(app) for pid in children(child)} if app else set()
    if len(workers) < 2:
        shell.close()
        pytest.fail(f"the reader started {len(workers)} workers")
    assert "bulletin-tui" in _command(app)
    return shell, app, library, home


def test_the_readers_workers_end_when_it_is_killed(tmp_path: Path, sessions: list[int]) -> None:
    shell, app, _library, _home = start_reader(tmp_path, sessions)
    try:
        os.kill(app, signal.SIGKILL)
        shell.wait_for("reader ended", "the shell going on")
        left = left_over(shell.pid, keep=frozenset({shell.pid}))
        assert not left, f"left running after a killed reader: {left}"
    finally:
        shell.close()


@pytest.mark.parametrize("how", ["q", "sigterm"])
def test_a_reader_that_ends_mid_refresh_stops_its_workers(
    tmp_path: Path, sessions: list[int], how: str
) -> None:
    shell, app, library, home = start_reader(tmp_path, sessions)
    try:
        shell.wait_for(PAINTED, "the reader's first paint")
        kept = wait_until_stored(home, app)
        if how == "q":
            shell.send("q")
        else:
            os.kill(app, signal.SIGTERM)
        shell.wait_for("reader ended", "the reader ending")
        left = left_over(shell.pid, keep=frozenset({shell.pid}))
        assert not left, f"left running after the reader ended ({how}): {left}"
    finally:
        shell.close()
    assert_cache_whole_and_used(home, library, kept)
