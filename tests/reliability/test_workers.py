"""No orphaned workers: `index` parses a large library in forked workers, and however the main
process ends, none of them stays behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from bulletin_tui.store.refresh import POOL_CHARS
from tests.reliability_support import environment, program, reader

pytestmark = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2 or not Path("/proc/self/stat").exists(),
    reason="parse workers start only with two or more cores; process table read from /proc",
)

PARAGRAPH = "南京大学举行新学期开学典礼，师生代表共同回顾学校发展历程并展望未来。" * 20


def big_library(folder: Path) -> Path:
    """Enough text (about twice POOL_CHARS) for `index` to start parse workers."""
    folder.mkdir()
    per_file = 30
    files = 2 * POOL_CHARS // (len(PARAGRAPH) * per_file) + 1
    for number in range(files):
        parts = [f"# 南哪消息 第{number}期", ""]
        for article in range(per_file):
            parts += [f"## 第{number}期第{article}篇", "", PARAGRAPH, ""]
        (folder / f"issue-{number:04d}.md").write_text("\n".join(parts), "utf-8")
    return folder


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running or sleeping: a zombie waiting for init to reap it holds no memory and counts as gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def start_index(tmp_path: Path) -> tuple[subprocess.Popen[bytes], set[int], Path]:
    library = big_library(tmp_path / "library")
    home = tmp_path / "home"
    home.mkdir()
    main = subprocess.Popen(
        [str(program()), "index", str(library)],
        env=environment(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and main.poll() is None:
        workers |= children(main.pid)
        time.sleep(0.05)
    if len(workers) < 2:
        main.kill()
        main.wait()
        pytest.fail(f"index started {len(workers)} workers (exit {main.returncode})")
    return main, workers, home


def test_workers_end_when_index_is_killed(tmp_path: Path) -> None:
    main, workers, _home = start_index(tmp_path)
    main.send_signal(signal.SIGKILL)
    main.wait()
    time.sleep(2)
    left = {pid for pid in workers if alive(pid)}
    assert not left, f"workers {sorted(left)} outlived a killed index"


def test_sigterm_stops_the_workers_and_leaves_the_cache_whole(tmp_path: Path) -> None:
    main, workers, home = start_index(tmp_path)
    time.sleep(0.5)
    main.send_signal(signal.SIGTERM)
    # Generous: the signal is acted on between two Python steps, and a step may be a long C call
    # (SQLite storing a batch, a segment of the index) on a loaded machine. Hanging still fails.
    main.wait(timeout=30)
    assert main.returncode != 0
    time.sleep(0.5)
    assert not {pid for pid in workers if alive(pid)}
    # The next run uses what was stored and finishes the rest.
    result = subprocess.run(
        [str(program()), "list", "--json", str(tmp_path / "library")],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    files = len(list((tmp_path / "library").iterdir()))
    assert len(json.loads(result.stdout)["issues"]) == files


def test_the_readers_workers_end_when_it_is_killed(tmp_path: Path) -> None:
    # The reader refreshes from a thread, so its workers come from a fork server.
    library = big_library(tmp_path / "library")
    home = tmp_path / "home"
    home.mkdir()
    app = reader(home, library)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 3 and time.monotonic() < deadline:  # the server and two workers
            workers |= descendants(app.pid)
            time.sleep(0.05)
        assert len(workers) >= 3, f"the reader started {len(workers)} worker processes"
        app.kill(signal.SIGKILL)
    finally:
        app.close()
    time.sleep(2)
    left = {pid for pid in workers if alive(pid)}
    assert not left, f"processes {sorted(left)} outlived a killed reader"
