"""Helpers for the reliability suite: the installed program on a real pseudo-terminal, a private
environment for it, and a reader of the escape sequences a terminal receives."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TIMEOUT = 60.0
PAINTED = "help"  # in the reader's status line, drawn in the first frame

# One escape sequence: CSI, an OSC/DCS/SOS/PM/APC string (ended by BEL or ST, or unterminated at
# the end of the stream), or a two-byte escape.
ESCAPE = re.compile(
    r"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\|$)"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)


def program() -> Path:
    """The installed `bulletin-tui` beside this Python (the virtualenv's), else skip."""
    beside = Path(sys.executable).parent / "bulletin-tui"
    if not beside.exists():
        pytest.skip("bulletin-tui is not installed (pip install -e .)")
    return beside


def environment(home: Path, **extra: str) -> dict[str, str]:
    """A user's environment with nothing of ours inherited: HOME and the XDG defaults only."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
    env.update(extra)
    return env


def visible(raw: bytes) -> str:
    """The text a terminal would draw, escape sequences removed (positions are not replayed)."""
    return ESCAPE.sub("", raw.decode("utf-8", "replace"))


class PtyProgram:
    """A program running on a pseudo-terminal of its own; every byte it writes is kept in `raw`."""

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        *,
        size: tuple[int, int] = (100, 30),
        cwd: Path | None = None,
        umask: int | None = None,
    ) -> None:
        self.raw = b""
        self.status: int | None = None
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
                if cwd is not None:
                    os.chdir(cwd)
                if umask is not None:
                    os.umask(umask)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    def _pump(self, timeout: float) -> bool:
        """Read what is waiting (up to `timeout` s); False once the program has closed the pty."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            chunk = b""
        self.raw += chunk
        return bool(chunk)

    def wait_for(self, check: Callable[[str], bool] | str, what: str = "", since: int = 0) -> int:
        """Read until `check` holds for the text drawn after byte `since`; returns the byte count
        read so far (a mark for the next wait)."""
        test = (lambda text: check in text) if isinstance(check, str) else check
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if test(visible(self.raw[since:])):
                return len(self.raw)
            if not self._pump(0.05):
                break
        tail = visible(self.raw[since:])[-1500:]
        raise AssertionError(f"no {what or check!r} on the terminal; it showed:\n{tail}")

    def settle(self, quiet: float = 0.3, limit: float = 10.0) -> int:
        """Read until the program has written nothing for `quiet` seconds."""
        deadline = time.monotonic() + limit
        last = len(self.raw)
        calm_since = time.monotonic()
        while time.monotonic() < deadline:
            if not self._pump(0.05):
                break
            if len(self.raw) != last:
                last, calm_since = len(self.raw), time.monotonic()
            elif time.monotonic() - calm_since >= quiet:
                break
        return len(self.raw)

    def send(self, *keys: str, pause: float = 0.05) -> None:
        for key in keys:
            os.write(self.fd, key.encode("utf-8"))
            end = time.monotonic() + pause
            while time.monotonic() < end:
                self._pump(0.01)

    def wait(self, timeout: float = TIMEOUT) -> int:
        """Read to the end and return the exit status (-signal when killed)."""
        deadline = time.monotonic() + timeout
        while self.status is None and time.monotonic() < deadline:
            alive = self._pump(0.05)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                while self._pump(0.01):
                    pass
                self.status = os.waitstatus_to_exitcode(status)
            elif not alive:
                time.sleep(0.02)
        if self.status is None:
            self.kill()
            raise AssertionError(
                f"the program did not end; it showed:\n{visible(self.raw)[-1500:]}"
            )
        return self.status

    def kill(self, sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)
        if self.status is None:
            _, status = os.waitpid(self.pid, 0)
            self.status = os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        if self.status is None:
            self.kill()
        with contextlib.suppress(OSError):
            os.close(self.fd)


@contextlib.contextmanager
def running(argv: list[str], env: dict[str, str], **options: object) -> Iterator[PtyProgram]:
    session = PtyProgram(argv, env, **options)  # type: ignore[arg-type]
    try:
        yield session
    finally:
        session.close()


@contextlib.contextmanager
def mounted_tmpfs(where: Path, size: str = "4m", *options: str) -> Iterator[Path]:
    """A small tmpfs at `where` (root only), or skip with the reason."""
    where.mkdir(parents=True, exist_ok=True)
    flags = ",".join((f"size={size}", "mode=0700", *options))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", flags, "tmpfs", str(where)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


def remount_read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)


SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_7b733c25521b607c.txt"


def seed_issues(folder: Path, count: int) -> Path:
    """`count` distinct issue files made from the seed, five articles each (the seed's four and
    one of their own), dated in the past so the cache trusts their size and time."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    past = time.time() - 600
    for number in range(count):
        path = folder / f"issue-{number:04d}.txt"
        path.write_text(f"{text}\n\n## 第{number}期专稿\n\n第{number}期的补充段落。\n", "utf-8")
        os.utime(path, (past, past))
    return folder


def reader(home: Path, library: Path, **env: str) -> PtyProgram:
    """The installed reader over `library`, for a user whose home is `home`."""
    return PtyProgram([str(program()), str(library)], environment(home, **env))


_LAYOUT = re.compile(r"[\s\u2500-\u259f]+")  # white space, box drawing and block elements


def shows(text: str, phrase: str) -> bool:
    """Whether `phrase` is on the screen, even when wrapped in a notification's frame."""
    return _LAYOUT.sub("", phrase) in _LAYOUT.sub("", text)
