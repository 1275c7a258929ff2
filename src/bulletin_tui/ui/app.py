"""The Textual application: settings, state, start-up order and the command palette.

Start-up: the first frame is painted from what the library already holds (the cache); then a thread
worker brings the library up to date with the files, and another loads the word segmenter, so
neither delays the first paint.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from bulletin_tui.config import Config
from bulletin_tui.parse import sanitize_text
from bulletin_tui.paths import styles_dir
from bulletin_tui.state import State, load_state, save_state
from bulletin_tui.terminal import ambiguous_width_choice, can_be_resumed
from bulletin_tui.ui.furniture import use_one_cell_furniture
from bulletin_tui.ui.keys import (
    APP_BINDINGS,
    PALETTE_ACTIONS,
    SCREEN_BINDINGS,
    checked_keymap,
    live_bindings,
)
from bulletin_tui.ui.main_screen import MainScreen
from bulletin_tui.ui.refreshing import INDEX_GROUP, Refresher, describe
from bulletin_tui.wording import counted

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import RenderableType

    from bulletin_tui.library import Library

SAVE_DELAY = 1.0  # seconds: a change is on disk at most this long after it was made
MAX_FILES_NAMED = 3
FEW_COLOUR_THEMES = {"textual-dark": "ansi-dark", "textual-light": "ansi-light"}


class BulletinApp(App[int]):
    TITLE = "bulletin-tui"
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    def __init__(
        self,
        library: Library,
        config: Config | None = None,
        state: State | None = None,
        *,
        notices: Iterable[str] = (),
        index: bool = True,
        warm: bool = True,
        watch: bool = False,
        state_path: Path | None = None,
        on_first_paint: Callable[[], None] | None = None,
        color_system: str | None = None,
        ambiguous_measured: int | None = None,
    ) -> None:
        """`index`: bring the library up to date after the first paint; `warm`: load what
        searches need (titles, the word segmenter) in the background then too; `watch`: index new
        and changed files while running; `color_system`: the terminal's colours when known better
        than from $TERM; `ambiguous_measured`: the width the terminal was seen to draw ambiguous
        characters in (None: not measured). No `state`: the one saved at `state_path` (the
        default file if None) is loaded, as the command line does, so what is saved there is
        added to, never written over by an empty state."""
        super().__init__(css_path=[styles_dir() / "app.tcss"])
        self.library = library
        self.config = config or Config()
        self.startup_notices = [notice for notice in notices if notice]
        if state is None:
            state, problem = load_state(state_path)
            if problem:
                self.startup_notices.append(problem)
        self.state = state
        self.state_path = state_path
        self.refresher = Refresher(self, pending=index)
        self.watching = watch
        self._reported: set[str] = set()  # notices and skipped files already shown
        self.warm = warm
        self._warm_after_refresh = False  # a first index: the warm-up waits for its end
        self.on_first_paint = on_first_paint
        self._save_timer: Timer | None = None
        self._save_failed = False
        self._save_lock = threading.Lock()  # the main thread, a signal and the exit guard
        self._crashed = False
        self.ended = threading.Event()  # set once the app has shut down
        self.animation_level = "full" if self.config.animations else "none"
        self.keymap, problems = checked_keymap(self.config.keymap, self.config.keymap_where)
        self.startup_notices += problems
        self.set_keymap(self.keymap)
        self._choose_theme(color_system)
        ambiguous, self.ambiguous_source = ambiguous_width_choice(
            self.config.ambiguous_width, ambiguous_measured
        )
        # Textual's furniture is drawn with ambiguous characters too: ASCII and colour instead.
        self.ambiguous_wide = ambiguous == 2
        self.set_class(self.ambiguous_wide, "-ambiguous-wide")
        use_one_cell_furniture(self.ambiguous_wide)
        options = self.config.layout_options(ambiguous)
        self.main_screen = MainScreen(self.library, self.state, options)

    def _choose_theme(self, color_system: str | None) -> None:
        """The configured theme, set before the first styling pass (changing it later restyles
        everything). With 8 or 16 colours (TERM=xterm, PuTTY's default): a theme made of the
        terminal's own palette, rather than true colours rounded to the nearest of 16 (orange
        became red)."""
        theme = self.config.textual_theme
        self.few_colours = (color_system or self.console.color_system) in ("standard", "windows")
        if self.few_colours and theme in FEW_COLOUR_THEMES:
            theme = FEW_COLOUR_THEMES[theme]
            self.add_class("-few-colours")
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.startup_notices.append(f"config: unknown theme {theme!r}; using the default")

    def get_default_screen(self) -> MainScreen:
        return self.main_screen

    def on_mount(self) -> None:
        # After Ctrl+Z (or SIGTSTP) and `fg` the terminal shows a blank alternate screen.
        self.app_resume_signal.subscribe(self, lambda _app: self.action_redraw())
        for notice in self.startup_notices:
            self.notify(sanitize_text(notice), severity="warning", timeout=10, markup=False)
        self.call_after_refresh(self._after_first_paint)

    def on_key(self, event: events.Key) -> None:
        # "/招商" read in one go: 招商 went to the list before `/` moved the focus to the query
        # box, and bubbles up here after it. A box takes every printable key it is given, so one
        # that arrives here while a box has the focus was typed for it: hand it on, in order.
        focused = self.focused
        if isinstance(focused, Input) and event.is_printable:
            event.prevent_default()  # no binding: it is text now
            event.stop()
            focused.post_message(events.Key(event.key, event.character))

    def _after_first_paint(self) -> None:
        if self.on_first_paint is not None:
            self.on_first_paint()
        if self.indexing:
            self.refresh_library()
        else:
            self.report_library()
        if self.watching:
            self.refresher.start_watching()
        if self.warm and self.indexing and not self.library.issues:
            # Building from nothing: there is nothing to search yet, and jieba's dictionary
            # (about 60 MB) loaded beside the parse and the index would only raise their peak.
            self._warm_after_refresh = True
        elif self.warm:
            self.warm_up()

    @work(
        thread=True,
        exclusive=True,
        group="warm-up",
        exit_on_error=False,
        description="load the word segmenter",
    )
    def warm_up(self) -> None:
        """Load what searches need (titles, jieba's dictionary) now, so the first does not wait."""
        self.library.warm_up()

    @work(
        thread=True,
        exclusive=True,
        group="keywords",
        exit_on_error=False,
        description="find the article's keywords",
    )
    def find_keywords(self, article_id: str) -> None:
        """The keyword line under the title (bulletin_tui.insights), worked out in a thread."""
        keywords = self.library.insights.keywords(article_id) or []
        words = [keyword.word for keyword in keywords]
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self.main_screen.reader.set_keywords, article_id, words)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """The one place the app's workers end: the refresh's outcome, and any failure said once."""
        worker = event.worker
        if worker.group == INDEX_GROUP and event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            self.refresher.ended(worker)
            if self._warm_after_refresh:
                self._warm_after_refresh = False
                self.warm_up()
        elif event.state == WorkerState.ERROR:
            said = f"Could not {worker.description}: {describe(worker.error)}"
            if said not in self._reported:  # once, not on every article opened
                self._reported.add(said)
                self.notify(said, severity="error", markup=False)

    # -- refreshing the library (refreshing.py) ----------------------------------------------------

    @property
    def indexing(self) -> bool:
        """A refresh is under way, or due right after the first paint."""
        return self.refresher.running

    def refresh_library(self, *, asked: bool = False) -> None:
        self.refresher.request(asked=asked)

    @on(Refresher.Progress)
    def _refresh_progressed(self, message: Refresher.Progress) -> None:
        self.refresher.progressed(message)

    @on(Refresher.FilesChanged)
    def _files_changed(self, message: Refresher.FilesChanged) -> None:
        self.refresh_library()

    @on(Refresher.WatchReady)
    def _watch_ready(self, message: Refresher.WatchReady) -> None:
        # Files added between the start-up refresh's look and the watches being set: once more.
        self.refresh_library()

    @on(Refresher.WatchTrouble)
    def _watch_trouble(self, message: Refresher.WatchTrouble) -> None:
        self.notify(message.message, severity="warning", markup=False)

    def report_library(self) -> None:
        """Skipped files and other notices from the library, once it is loaded; after a later
        refresh, only those not shown before."""
        for notice in self.library.notices:
            if notice not in self._reported:
                self._reported.add(notice)
                self.notify(sanitize_text(notice), severity="warning", markup=False)
        errors = [e for e in self.library.errors if f"{e.path}\0{e.message}" not in self._reported]
        self._reported.update(f"{e.path}\0{e.message}" for e in errors)
        if errors:
            named = "\n".join(
                f"{sanitize_text(e.path)}: {sanitize_text(e.message)}"
                for e in errors[:MAX_FILES_NAMED]
            )
            more = (
                f"\n… and {len(errors) - MAX_FILES_NAMED} more"
                if len(errors) > MAX_FILES_NAMED
                else ""
            )
            self.notify(
                f"{counted(len(errors), 'file')} skipped:\n{named}{more}",
                severity="warning",
                timeout=10,
                markup=False,
            )

    # -- state -------------------------------------------------------------------------------------

    def save_state_soon(self) -> None:
        """Save within SAVE_DELAY of this change: a timer already running takes it along, so
        changes that keep coming (scrolling) are saved every SAVE_DELAY, not only once they stop."""
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self.save_state_now)

    def save_state_now(self) -> None:
        """Write the state now. Safe from a signal handler and from another thread: a save
        already under way (which the signal may have interrupted) is not waited for."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if not self._save_lock.acquire(blocking=False):
            return
        try:
            save_state(self.state, self.state_path)
        except OSError as error:
            if not self._save_failed:  # say it once, not on every scroll
                self._save_failed = True
                self._say_save_failed(error)
        finally:
            self._save_lock.release()

    def _say_save_failed(self, error: OSError) -> None:
        message = f"Could not save the reading state: {error}"
        if threading.current_thread() is threading.main_thread() and self.is_running:
            self.notify(message, severity="error", markup=False)

    def save_state_from_thread(self, timeout: float) -> None:
        """Save from another thread when the main thread may be stuck (the exit guard)."""
        if self._save_lock.acquire(timeout=timeout):
            try:
                save_state(self.state, self.state_path)
            except (OSError, RuntimeError):  # RuntimeError: the state changed while copied
                pass
            finally:
                self._save_lock.release()

    # -- ending --------------------------------------------------------------------------------------

    @property
    def exit_status(self) -> int:
        """The process's exit status: 1 after an unhandled exception (Textual sets that return
        code, except for an error in its input thread, which ends in `panic`), else the one asked
        for."""
        if self._crashed:
            return 1
        return self.return_code or 0

    def panic(self, *renderables: RenderableType) -> None:
        self._crashed = True  # an error in the input thread, say
        self.save_state_now()
        super().panic(*renderables)

    def end(self, status: int) -> None:
        """Save, then leave with `status` (a signal, the terminal gone)."""
        self.save_state_now()
        if self.is_running:
            self.exit(return_code=status)

    def on_unmount(self) -> None:
        self.refresher.stop_watching()
        use_one_cell_furniture(False)  # set on classes and modules: left as found for the next app
        self.ended.set()

    def action_suspend_process(self) -> None:
        if not can_be_resumed():
            self.notify(
                "Not suspended: no shell could resume the reader (this terminal is not its "
                "controlling terminal). q quits.",
                severity="warning",
            )
            return
        super().action_suspend_process()

    def action_redraw(self) -> None:
        """Draw the whole screen again (Ctrl+L, and after resuming from Ctrl+Z)."""
        self.refresh(layout=True)
        for screen in self.screen_stack:
            screen.refresh(layout=True)

    # -- command palette ---------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        keys: dict[str, list[str]] = {}
        for _key, binding in live_bindings(self.main_screen, self.keymap):
            if binding.id:
                keys.setdefault(binding.id, []).append(self.get_key_display(binding))
        defaults = {b.id: b for b in SCREEN_BINDINGS if isinstance(b, Binding) and b.id}
        for action in PALETTE_ACTIONS:
            description = defaults[action].description
            shown = " ".join(keys.get(action, []))
            yield SystemCommand(
                description,
                f"{description} ({shown})" if shown else description,
                partial(self._main_action, action),
            )

    def _main_action(self, action: str) -> None:
        self.call_later(self.run_action, action, self.main_screen)

    async def action_quit(self) -> None:
        self.save_state_now()
        self.exit(0)
