"""The terminal the reader starts on, before Textual takes it over: is there one, is it capable,
and how wide does it draw East Asian "ambiguous" characters such as “ ” … — ·.

No Textual here: this runs before the reader's heavy imports.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import termios
import time
from typing import Any

from bulletin_tui.typeset.widths import AMBIGUOUS_ENV, ambiguous_width_in_env

PROBE_CHARACTER = "…"  # East Asian Width "A": one cell, or two on a CJK-width terminal
PROBE_TIMEOUT = 0.5  # seconds to wait for the terminal's answer, counted from the question
_POSITION = re.compile(rb"\x1b\[(\d+);(\d+)R")
_DUMB = ("", "dumb", "unknown")

NO_TERMINAL = (
    "the reader needs a terminal, and its {which} not one. For scripts and pipes use "
    "`bulletin-tui list`, `bulletin-tui show ARTICLE_ID` or `bulletin-tui search QUERY`."
)
NOT_CONTROLLING = (
    "the reader needs a terminal of its own, and this one is not its controlling terminal "
    "(started by setsid, say): the shell would read the same keys. Start it from the shell "
    "directly, or use `bulletin-tui list`, `show` or `search`."
)
DUMB_TERMINAL = (
    "the reader needs a capable terminal (TERM={term!r} cannot move the cursor or draw colour). "
    "Set TERM to your terminal's type (e.g. xterm-256color), or use `bulletin-tui list`, "
    "`show` or `search`."
)


def reader_terminal_problem(
    stdin: int = 0, stdout: int = 1, environ: dict[str, str] | None = None
) -> str | None:
    """Why the full-screen reader cannot run here, or None when it can."""
    environ = dict(os.environ) if environ is None else environ
    missing = [name for name, fd in (("input", stdin), ("output", stdout)) if not _is_tty(fd)]
    if missing:
        which = "input and output are" if len(missing) == 2 else f"{missing[0]} is"
        return NO_TERMINAL.format(which=which)
    if not _controls(stdin):
        return NOT_CONTROLLING
    term = environ.get("TERM", "").strip()
    if term.lower() in _DUMB:
        return DUMB_TERMINAL.format(term=term)
    return None


def can_be_resumed(fd: int = 1) -> bool:
    """Whether a shell could bring the reader back (`fg`) if Ctrl+Z stopped it: only where the
    terminal is its controlling terminal with the reader in the foreground. Started by `setsid`,
    say, it has none: stopped, nothing would resume it, and the terminal would stay frozen."""
    try:
        return os.tcgetpgrp(fd) == os.getpgrp()
    except OSError:  # not our controlling terminal, or not a terminal
        return False


def _controls(fd: int) -> bool:
    """Whether the terminal on `fd` is the process's controlling terminal (its foreground group
    may be another's: a job started in the background is stopped by the shell until `fg`)."""
    try:
        os.tcgetpgrp(fd)
    except OSError:
        return False
    return True


def _is_tty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


class AmbiguousWidthProbe:
    """Ask the terminal how wide it draws an ambiguous character, without waiting on the answer.

    `start()` writes the character at the start of the line and asks for the cursor position;
    `finish()` (called once the reader's start-up work is done) reads the answer, erases the probe
    and puts the terminal back as it was. A terminal that does not answer within PROBE_TIMEOUT
    gives None.
    """

    def __init__(self, stdin: int = 0, stdout: int = 1, timeout: float = PROBE_TIMEOUT) -> None:
        self.stdin, self.stdout, self.timeout = stdin, stdout, timeout
        self._saved: list[Any] | None = None
        self._asked_at = 0.0

    def start(self) -> bool:
        """Ask; False when this is not a terminal that can be asked."""
        try:
            saved = termios.tcgetattr(self.stdin)
            quiet = termios.tcgetattr(self.stdin)
            # No echo (the answer would be shown) and no line buffering (it has no newline).
            quiet[3] &= ~(termios.ECHO | termios.ICANON)
            quiet[6][termios.VMIN] = 0
            quiet[6][termios.VTIME] = 0
            termios.tcsetattr(self.stdin, termios.TCSANOW, quiet)
        except (termios.error, OSError):
            return False
        self._saved = saved
        self._asked_at = time.monotonic()
        try:
            os.write(self.stdout, f"\r{PROBE_CHARACTER}\x1b[6n".encode())
        except OSError:
            self._restore()
            return False
        return True

    def finish(self) -> int | None:
        """The width the terminal drew the character in (1 or 2), or None without an answer."""
        if self._saved is None:
            return None
        answer = b""
        try:
            deadline = self._asked_at + self.timeout
            while (match := _POSITION.search(answer)) is None:
                # What has arrived is read even after the deadline: start-up may take longer.
                left = max(0.0, deadline - time.monotonic())
                ready, _, _ = select.select([self.stdin], [], [], left)
                if not ready:
                    break
                chunk = os.read(self.stdin, 256)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            match = None
        finally:
            with contextlib.suppress(OSError):
                os.write(self.stdout, b"\r\x1b[K")  # erase the probe character
            self._restore()
        if match is None:
            return None
        column = int(match.group(2))
        return {2: 1, 3: 2}.get(column)

    def _restore(self) -> None:
        if self._saved is not None:
            with contextlib.suppress(termios.error):
                termios.tcsetattr(self.stdin, termios.TCSANOW, self._saved)
            self._saved = None


def ambiguous_width_choice(configured: int | None, measured: int | None) -> tuple[int, str]:
    """The ambiguous width to use and where it came from: config.toml, then the environment,
    then what the terminal was measured to draw, else 1."""
    if configured in (1, 2):
        return configured, "set in config.toml"
    from_env = ambiguous_width_in_env()
    if from_env is not None:
        return from_env, f"set by ${AMBIGUOUS_ENV}"
    if measured in (1, 2):
        return measured, "measured on this terminal"
    return 1, "the default (not measured)"


def ambiguous_width_is_set(configured: int | None) -> bool:
    """Whether config.toml or the environment already decide the width (no need to measure)."""
    return configured in (1, 2) or ambiguous_width_in_env() is not None
