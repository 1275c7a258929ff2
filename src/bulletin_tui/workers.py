"""Worker processes that never outlive the process that started them.

A parent killed hard (kill -9, the OOM killer, a dropped SSH session) runs no clean-up, so its workers
must notice by themselves: on Linux the kernel sends them SIGKILL when their parent dies
(PR_SET_PDEATHSIG); everywhere, a thread in each worker also checks every half second that the parent
is still its parent. Workers ignore Ctrl+C: the parent handles it and stops them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5


def guard(parent: int | None = None) -> None:
    """Run first in every worker: end it when `parent` (the pid that forked it; default: whatever
    forked it, as under a fork server, which itself ends with the process it serves) is gone."""
    if parent is None:
        parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died before prctl took effect: then the signal will never come.
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` forked processes, each guarded against outliving this one."""
    return ProcessPoolExecutor(
        workers, mp_context=get_context("fork"), initializer=guard, initargs=(os.getpid(),)
    )


def served_pool(workers: int) -> ProcessPoolExecutor:
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
    return ProcessPoolExecutor(workers, mp_context=context, initializer=guard)


def end_server() -> None:
    """End the fork server started by `served_pool` (about 20 MB with the parser loaded) once its
    pool is shut down: the reader indexes next, and a later pool starts a server again."""
    from multiprocessing import forkserver

    stop_server = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if callable(stop_server):  # private in 3.11-3.13; without it the server lives on, as before
        with contextlib.suppress(OSError, ChildProcessError):
            stop_server()


def stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once (Ctrl+C, SIGTERM, an error): queued work is dropped, running work is
    killed; whatever the parent stored so far stays stored."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    # Gone from the pool once it is shut down: what its managing thread waits on.
    manager = getattr(pool, "_executor_manager_thread", None)
    results = getattr(pool, "_result_queue", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(timeout=2)
    # A worker killed half-way through sending a result leaves the pool's thread waiting for the
    # rest, and the interpreter's exit waiting for that thread. Closing our end of the results'
    # pipe ends the wait: the thread finds the pool broken and ends (its futures forgotten first:
    # they are cancelled, and Python 3.11 fails when it fails a cancelled one).
    with contextlib.suppress(AttributeError):
        manager.pending_work_items.clear()  # type: ignore[union-attr]
    with contextlib.suppress(OSError, AttributeError):
        results._writer.close()  # type: ignore[union-attr]
