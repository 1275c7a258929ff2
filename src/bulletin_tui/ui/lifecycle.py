"""How the reader's process ends: on a signal, when its terminal goes away, and when a worker
thread will not finish.

Installed by the command line around `BulletinApp.run()` (never in tests that drive the app in
their own process). The state is saved first in every case; then the app is asked to end; and a
guard thread ends the process outright if it is still there GRACE seconds later (a worker blocked
on a named pipe, or a terminal that no longer takes output, would otherwise keep it alive).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import termios
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bulletin_tui.ui.app import BulletinApp

GRACE = 1.0  # seconds the process has to end on its own once the app has ended
POLL = 0.25  # seconds between looks at the terminal
HANGUP_STATUS = 128 + signal.SIGHUP


class ExitGuard:
    def __init__(self, app: BulletinApp, terminal: int = 0) -> None:
        self.app = app
        self.terminal = terminal
        self._previous: dict[int, object] = {}
        self._status: int | None = None
        self._thread = threading.Thread(target=self._watch, name="exit-guard", daemon=True)

    def install(self) -> None:
        """Handle SIGTERM and SIGHUP (unless SIGHUP is ignored, as under nohup), and watch."""
        for number in (signal.SIGTERM, signal.SIGHUP):
            current = signal.getsignal(number)
            if number == signal.SIGHUP and current == signal.SIG_IGN:
                continue  # asked not to end on hang-up: a lost terminal is still noticed
            self._previous[number] = current
            signal.signal(number, self._on_signal)
        self._thread.start()

    def uninstall(self) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        self._previous.clear()

    def _on_signal(self, number: int, _frame: FrameType | None) -> None:
        # In the main thread, between two Python steps: save, then ask the app to end.
        self._status = 128 + number
        self.app.end(self._status)
        if not self.app.is_running:
            self.app.ended.set()  # before or after the app's run: the guard ends the process

    def _terminal_gone(self) -> bool:
        try:
            termios.tcgetattr(self.terminal)
        except termios.error:
            return True  # hung up: every call on it fails with EIO
        except OSError:
            return True
        return False

    def _watch(self) -> None:
        app = self.app
        while not app.ended.wait(POLL):
            if self._terminal_gone():
                self._status = HANGUP_STATUS
                loop = getattr(app, "_loop", None)
                if loop is not None:
                    # RuntimeError: the loop is closed, the app is ending already.
                    with contextlib.suppress(RuntimeError):
                        loop.call_soon_threadsafe(app.end, HANGUP_STATUS)
                app.ended.wait(GRACE)
                break
        # The app has ended (or cannot): the process has GRACE to finish on its own. Still here
        # after that, the main thread is stuck (a worker that will not finish, a terminal that
        # takes no more output): save, then end without waiting for anything else.
        time.sleep(GRACE)
        app.save_state_from_thread(timeout=GRACE)
        status = self._status if self._status is not None else app.exit_status
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(status)
