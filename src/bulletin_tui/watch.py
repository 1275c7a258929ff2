"""Watching the library's files while the reader runs, so new issues appear by themselves.

watchfiles does the watching: inotify where the kernel offers it, else (no inotify, no watches
left, or `$WATCHFILES_FORCE_POLLING`) a stat of every file each POLL_SECONDS. Only issue files
(.md .markdown .txt) count, and a burst of changes (a copy of many files, an editor's save)
arrives as one call after DEBOUNCE_MS of quiet. No Textual here: the app turns the call into a
refresh of the library.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from bulletin_tui.sources import EXTENSIONS

DEBOUNCE_MS = 400
POLL_SECONDS = 2.0  # polling stats every file: not too often on a large library
STOP_CHECK_MS = 200  # how soon stop() is noticed

Mode = Literal["starting", "inotify", "polling", "stopped", "failed"]


def is_issue_file(path: str) -> bool:
    name = os.path.basename(path)
    if name.startswith(".") or name.endswith("~"):  # editors' swap and backup files
        return False
    return os.path.splitext(name)[1].lower() in EXTENSIONS


class LibraryWatcher:
    """Calls `on_change(paths)` from its own thread when issue files under `roots` are added,
    changed or removed. `on_error(message)` says why watching stopped or fell back to polling;
    `on_ready()` comes once the watches are in place (a file added before then is not reported:
    look at the files once more then)."""

    def __init__(
        self,
        roots: Iterable[Path],
        on_change: Callable[[set[str]], None],
        on_error: Callable[[str], None] = lambda message: None,
        on_ready: Callable[[], None] = lambda: None,
        *,
        force_polling: bool | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.roots = [Path(root) for root in roots]
        self.on_change = on_change
        self.on_error = on_error
        self.on_ready = on_ready
        self._ready = False
        self.force_polling = force_polling
        self.debounce_ms = debounce_ms
        self.poll_seconds = poll_seconds
        self.mode: Mode = "starting"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        # A daemon thread: a watcher never keeps the program from ending.
        self._thread = threading.Thread(target=self._run, name="library-watcher", daemon=True)
        self._thread.start()

    def stop(self, wait: float = 0.0) -> None:
        self._stop.set()
        if wait and self._thread is not None:
            self._thread.join(wait)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        roots = [str(root) for root in self.roots if root.exists()]
        if not roots:
            self.mode = "stopped"
            return
        try:
            self._watch(roots, self.force_polling)
        except Exception as error:
            if self._stop.is_set():
                return
            if self.force_polling:  # polling failed too: nothing more to try
                self.mode = "failed"
                self.on_error(f"Watching the library stopped: {error}")
                return
            # No inotify here, or no watches left: poll instead.
            self.on_error(f"Watching the library by polling ({error})")
            try:
                self._watch(roots, True)
            except Exception as again:
                if not self._stop.is_set():
                    self.mode = "failed"
                    self.on_error(f"Watching the library stopped: {again}")
                return
        self.mode = "stopped"

    def _watch(self, roots: list[str], force_polling: bool | None) -> None:
        from watchfiles import watch  # imported in the watcher's thread, after the first paint

        # Its warnings would otherwise go to stderr, across the reader's screen.
        logging.getLogger("watchfiles").addHandler(logging.NullHandler())
        logging.getLogger("watchfiles").propagate = False

        polling = bool(force_polling) or bool(os.environ.get("WATCHFILES_FORCE_POLLING"))
        self.mode = "polling" if polling else "inotify"
        for changes in watch(
            *roots,
            watch_filter=lambda _change, path: is_issue_file(path),
            debounce=self.debounce_ms,
            step=50,
            stop_event=self._stop,
            rust_timeout=STOP_CHECK_MS,
            yield_on_timeout=True,  # the first (empty) yield says the watches are set
            raise_interrupt=False,
            force_polling=force_polling,
            poll_delay_ms=int(self.poll_seconds * 1000),
            ignore_permission_denied=True,
        ):
            if self._stop.is_set():
                return
            if not self._ready:
                self._ready = True
                self.on_ready()
            paths = {path for _change, path in changes}
            if paths:
                self.on_change(paths)
