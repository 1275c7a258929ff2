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


def guard(parent: int) -> None:
    """Run first in every worker: end it when `parent` (the pid that forked it) is gone."""
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


def stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once (Ctrl+C, SIGTERM, an error): queued work is dropped, running work is
    killed; whatever the parent stored so far stays stored."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(timeout=2)
