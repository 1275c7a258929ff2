"""The parse workers' pool (workers.Pool): results in order, a job's error raised here, and a pool
that ends at once and leaves no process, whatever its workers were doing."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from bulletin_tui.workers import Pool, WorkerLost, forked_pool

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="the process table is read from /proc"
)


@pytest.fixture
def pool() -> Pool:
    if threading.active_count() > 1:
        pytest.skip("a pool is forked only from a single-threaded process")
    return forked_pool(2)


def nap(seconds: float, value: int) -> int:
    time.sleep(seconds)
    return value


def echo(text: str) -> str:
    return text


def fail(value: int) -> int:
    raise ValueError(f"bad job {value}")


def running_children() -> set[int]:
    found = set()
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == me and fields[0] not in ("Z", "X"):
                found.add(int(entry.name))
    return found


def test_results_come_in_the_order_of_the_jobs(pool: Pool) -> None:
    # The first jobs are the slowest: later ones finish first and wait their turn.
    jobs = [(0.2 if number < 3 else 0.0, number) for number in range(23)]
    try:
        assert list(pool.map(nap, jobs, chunk=2)) == list(range(23))
        assert list(pool.map(nap, [(0.0, 7)])) == [7]  # a pool serves several batches
    finally:
        pool.close()
    assert not running_children()


def test_messages_larger_than_a_pipe_holds_go_both_ways(pool: Pool) -> None:
    # Two chunks held by each worker, each bigger than the socket's buffer, and results as big:
    # neither side may wait on the other to read.
    texts = [str(number) * 1_500_000 for number in range(10)]
    try:
        assert list(pool.map(echo, [(text,) for text in texts], chunk=2)) == texts
    finally:
        pool.close()


def test_a_jobs_error_is_raised_here(pool: Pool) -> None:
    try:
        with pytest.raises(ValueError, match="bad job 5"):
            list(pool.map(fail, [(number,) for number in range(5, 9)]))
    finally:
        pool.stop()
    assert not running_children()


def test_a_worker_killed_from_outside_is_an_error_not_a_hang(pool: Pool) -> None:
    before = running_children()
    results = pool.map(nap, [(30.0, number) for number in range(4)], chunk=1)
    try:
        victim = next(iter(before))
        threading.Timer(0.3, os.kill, (victim, signal.SIGKILL)).start()
        started = time.monotonic()
        with pytest.raises(WorkerLost):
            next(results)
        assert time.monotonic() - started < 20
    finally:
        pool.stop()
    assert not running_children()


def test_stop_ends_busy_workers_at_once(pool: Pool) -> None:
    results = pool.map(nap, [(0.0, 0), *[(30.0, number) for number in range(1, 5)]], chunk=1)
    assert next(results) == 0  # the others are now asleep in their jobs
    started = time.monotonic()
    pool.stop()
    assert time.monotonic() - started < 10
    assert not running_children()
