"""Refreshing the library while the reader runs: one refresh at a time (at start, `r`, or the
watcher saw a change), in a thread worker of the app, its progress on the status bar, and what it
brought said in words ("2 new issues"). The watcher's calls, from its own thread, come to the app
as the refresher's messages."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from bulletin_tui.wording import counted

if TYPE_CHECKING:
    from bulletin_tui.ui.app import BulletinApp
    from bulletin_tui.watch import LibraryWatcher

INDEX_GROUP = "index"  # the refresh's worker group


class RefreshAbandoned(Exception):
    """The app ended during a refresh: it stops after the file it has just stored."""


def describe(error: BaseException | None) -> str:
    return f"{type(error).__name__}: {error}" if error is not None else "unknown error"


class Refresher:
    """The app's refreshes of its library: asked for during one, another follows it."""

    @dataclass
    class Progress(Message):
        """From the refresh's thread: `done` of `total` files. One not yet handled gives way to
        a newer one, so a fast refresh never floods the app with them."""

        done: int
        total: int
        path: str

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, Refresher.Progress)

    @dataclass
    class FilesChanged(Message):
        """Issue files were added, changed or removed on disk (from the watcher's thread)."""

        paths: frozenset[str]

    @dataclass
    class WatchReady(Message):
        """The watches are in place: a file added before then is found by one more refresh."""

    @dataclass
    class WatchTrouble(Message):
        """The watcher fell back to polling, or stopped: say so once."""

        message: str

    def __init__(self, app: BulletinApp, *, pending: bool) -> None:
        self.app = app
        self.running = pending  # under way, or (`pending`) due right after the first paint
        self._started = False
        self._again = False
        self._asked = False
        self._issues_before: set[str] | None = None  # to say what a refresh brought
        self.watcher: LibraryWatcher | None = None

    def request(self, *, asked: bool = False) -> None:
        """Index new and changed files now; `asked`: the user pressed r and wants an answer
        even when nothing changed."""
        self._asked = self._asked or asked
        if self._started:
            self._again = True
            return
        self._started = self.running = True
        self._issues_before = set(self.app.main_screen.issue_order)
        self.app.main_screen.show_progress((0, 0))
        self.app.run_worker(
            self._refresh,
            thread=True,
            exclusive=True,
            group=INDEX_GROUP,
            exit_on_error=False,
            description="index the library",
        )

    def _refresh(self) -> int:
        """Bring the library up to date with the files (in a thread: the UI stays live); the
        number of files read."""
        worker = get_current_worker()

        def progress(done: int, total: int, path: str) -> None:
            if worker.is_cancelled:
                # The app has ended: stop now (parse workers too) rather than keep the process
                # alive until the exit guard ends it. What is stored so far stays stored.
                raise RefreshAbandoned
            self.app.post_message(self.Progress(done, total, path))

        stats = self.app.library.refresh(progress=progress)
        return stats.parsed + stats.reused

    def progressed(self, message: Progress) -> None:
        if self.running:
            self.app.main_screen.show_progress((message.done, message.total))

    def ended(self, worker: Worker[int]) -> None:
        """The refresh ended, or failed (then the cached library stays usable)."""
        app, screen = self.app, self.app.main_screen
        failed = worker.state == WorkerState.ERROR
        self.running = False
        if failed:
            app.notify(f"Indexing failed: {describe(worker.error)}", severity="error", markup=False)
        screen.show_progress(None)
        screen.load_library()
        app.report_library()
        before, asked = self._issues_before, self._asked
        if not failed and before is not None and (before or asked):
            said = refresh_summary(before, screen.issue_order, worker.result or 0, asked=asked)
            if said:
                app.notify(said)
        self._started, self._asked = False, False
        if self._again:
            self._again = False
            self.request()

    @property
    def busy(self) -> bool:
        """A refresh runs, or one more is due after it."""
        return self._started or self._again

    def start_watching(self) -> None:
        """Refresh when files change: the watcher's calls come to the app as messages."""
        from bulletin_tui.watch import LibraryWatcher

        app = self.app

        def changed(paths: set[str]) -> None:
            app.call_from_thread(app.post_message, self.FilesChanged(frozenset(paths)))

        def trouble(message: str) -> None:
            app.call_from_thread(app.post_message, self.WatchTrouble(message))

        def ready() -> None:
            app.call_from_thread(app.post_message, self.WatchReady())

        self.watcher = LibraryWatcher(app.library.roots, changed, trouble, ready)
        self.watcher.start()

    def stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()


def refresh_summary(
    before: Collection[str], after: Collection[str], parsed: int, *, asked: bool
) -> str | None:
    """What a refresh brought, in words; None when there is nothing to say.

    `before`, `after`: issue ids; `parsed`: files read again (new or changed); `asked`: the user
    pressed r and wants an answer even when nothing changed.
    """
    new = len(set(after) - set(before))
    gone = len(set(before) - set(after))
    updated = max(0, parsed - new)
    parts = []
    if new:
        parts.append(counted(new, "new issue"))
    if updated:
        parts.append(counted(updated, "issue updated", "issues updated"))
    if gone:
        parts.append(counted(gone, "issue removed", "issues removed"))
    if parts:
        return ", ".join(parts)
    return "The library is up to date" if asked else None
