"""Worker processes that never outlive the process that started them, in a pool that stops at once.

A parent killed hard (kill -9, the OOM killer, a dropped SSH session) runs no clean-up, so its workers
must notice by themselves: on Linux the kernel sends them SIGKILL when their parent dies
(PR_SET_PDEATHSIG); everywhere, a thread in each worker also watches the parent and ends the worker
when it is gone. Workers ignore Ctrl+C (the parent handles it and stops them) and end at SIGTERM.

Under a fork server the parent is the server, which ends when the process it serves does, but only
once no child holds the pipe it watches for that: Python hands that pipe to every child it forks, so
a worker closes it first, and also watches the process it works for through the pipe Python keeps
from that process to each of its children.

The pool is ours rather than a ProcessPoolExecutor: that one's workers share a queue and its lock,
and its threads in the parent could wait for ever on a message half-written by a worker killed
mid-send, keeping a stopped `index` from exiting.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5
AHEAD = 2  # chunks a worker holds at once


def guard(parent: int | None = None) -> None:
    """Run first in every worker: end it when `parent` (the pid that forked it) is gone; None under
    a fork server, where the process served is watched instead."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Not the handler a forked worker inherits from `index` (which unwinds its store on SIGTERM).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if parent is None:
        parent = os.getppid()
        served = _release_fork_server()
    else:
        served = None
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died before prctl took effect: then the signal will never come.
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, served), daemon=True, name="parent-watch").start()


def _release_fork_server() -> int | None:
    """In a fork server's child: close the server's life line (so it ends with the process it
    serves, and this worker with it) and return a descriptor that reads end of file once that
    process is gone, if there is one."""
    from multiprocessing import forkserver, parent_process

    server = forkserver._forkserver
    alive = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(alive, int):
        with contextlib.suppress(OSError):
            os.close(alive)
        server._forkserver_alive_fd = None  # type: ignore[attr-defined]
    served = parent_process()
    sentinel = getattr(served, "sentinel", None)
    return sentinel if isinstance(sentinel, int) else None


def _watch(parent: int, served: int | None) -> None:
    while os.getppid() == parent:
        if served is None:
            time.sleep(WATCH_SECONDS)
            continue
        ready, _, _ = select.select([served], [], [], WATCH_SECONDS)
        if ready:  # end of file: the process served is gone
            break
    os._exit(1)


class WorkerLost(RuntimeError):
    """A worker ended in the middle of its work (killed from outside, out of memory)."""


class Pool:
    """Worker processes, each with a pipe of its own to this process, and no thread here.

    Nothing is shared between workers (no queue, no lock), so a worker killed in the middle of a
    message leaves only its own pipe half-written: stopping the pool at once never leaves this
    process waiting on a lock or a message that will not come, as a ProcessPoolExecutor can.
    """

    def __init__(self, context: BaseContext, workers: int, parent: int | None) -> None:
        self._links: list[Connection] = []
        self._processes: list[BaseProcess] = []
        try:
            for _ in range(workers):
                ours, theirs = context.Pipe()
                process = context.Process(  # type: ignore[attr-defined]
                    target=_serve, args=(theirs, parent), name="bulletin-tui parse", daemon=True
                )
                process.start()
                theirs.close()
                self._links.append(ours)
                self._processes.append(process)
        except BaseException:
            self.stop()
            raise

    def map(
        self, function: Callable[..., T], jobs: Sequence[tuple[Any, ...]], chunk: int = 4
    ) -> Iterator[T]:
        """`function(*job)` for every job, in the workers, `chunk` jobs to a message; the results
        in the jobs' order. An exception raised by `function` is raised here."""
        done: dict[int, T] = {}
        # A worker's link → the first job of each chunk it holds: two each, so that one is
        # waiting when it finishes the other, whatever this process is doing then.
        held: dict[Connection, deque[int]] = {link: deque() for link in self._links}
        given = following = 0
        while following < len(jobs):
            for link, firsts in held.items():
                while len(firsts) < AHEAD and given < len(jobs):
                    try:
                        link.send((function, jobs[given : given + chunk]))
                    except OSError as error:
                        raise WorkerLost("a parse worker ended unexpectedly") from error
                    firsts.append(given)
                    given += chunk
            busy = [link for link, firsts in held.items() if firsts]
            for ready in wait(busy, timeout=0 if following in done else None):
                assert isinstance(ready, Connection)
                try:
                    ok, value = ready.recv()
                except (EOFError, OSError) as error:
                    raise WorkerLost("a parse worker ended unexpectedly") from error
                if not ok:
                    raise value
                done.update(enumerate(value, held[ready].popleft()))
            if following in done:
                yield done.pop(following)
                following += 1

    def close(self) -> None:
        """Let the workers finish and end."""
        for link in self._links:
            with contextlib.suppress(OSError):
                link.send(None)
        for process in self._processes:
            process.join(timeout=5)
        self.stop()  # any that did not end

    def stop(self) -> None:
        """End the workers at once (Ctrl+C, SIGTERM, an error): work under way is dropped;
        whatever this process stored so far stays stored."""
        for process in self._processes:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                process.kill()
        for process in self._processes:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                process.join(timeout=2)
        for link in self._links:
            link.close()
        self._processes, self._links = [], []


def _serve(link: Connection, parent: int | None) -> None:
    """A worker's life: guarded, then one chunk at a time until told to end (None) or cut off.
    A thread takes in what the parent sends as it comes, so the parent never waits to send."""
    guard(parent)
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def receive() -> None:
        message: Any = ()
        while message is not None:
            try:
                message = link.recv()
            except (EOFError, OSError):
                message = None
            inbox.put(message)

    threading.Thread(target=receive, daemon=True, name="inbox").start()
    while (message := inbox.get()) is not None:
        function, jobs = message
        outcome: tuple[bool, object]
        try:
            outcome = (True, [function(*job) for job in jobs])
        except Exception as error:  # raised again in the parent, as if it ran there
            outcome = (False, error)
        try:
            link.send(outcome)
        except (TypeError, AttributeError, ValueError) as error:  # an exception that won't pickle
            link.send((False, RuntimeError(f"{outcome[1]!r} ({error})")))
        except OSError:
            return  # the parent is gone


def forked_pool(workers: int) -> Pool:
    """A pool of `workers` forked processes, each guarded against outliving this one."""
    return Pool(get_context("fork"), workers, os.getpid())


def served_pool(workers: int) -> Pool:
    """A pool for a process that runs threads (the reader), where forking could copy a held lock
    into the child: workers come from a fork server, a fresh single-threaded process that ends when
    this one does (then the kernel ends the workers). The server preloads the parser."""
    from multiprocessing import forkserver, resource_tracker

    context = get_context("forkserver")
    context.set_forkserver_preload(["bulletin_tui.store.refresh", "bulletin_tui.parse"])
    # The server and its resource tracker take our stderr's descriptor; a full-screen app has put
    # a stand-in without one there, and what they might print must not reach its screen anyway.
    saved = sys.stderr
    with open(os.devnull, "w") as quiet:
        try:
            sys.stderr = quiet
            resource_tracker.ensure_running()
            forkserver.ensure_running()
        finally:
            sys.stderr = saved
    return Pool(context, workers, None)


def end_server() -> None:
    """End the fork server started by `served_pool` (about 20 MB with the parser loaded) once its
    pool is closed or stopped: the reader indexes next, and a later pool starts a server again."""
    from multiprocessing import forkserver

    stop_server = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if callable(stop_server):  # private in 3.11-3.13; without it the server lives on, as before
        with contextlib.suppress(OSError, ChildProcessError):
            stop_server()
