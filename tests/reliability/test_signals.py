"""Hang-ups, signals and terminals: the installed reader on a real pseudo-terminal.

SIGHUP and SIGTERM save what was just changed; a terminal that goes away (with SIGHUP ignored, as
under nohup) ends the reader instead of leaving it spinning; Ctrl+Z suspends and a SIGCONT brings
the whole screen back; q ends the process while a worker is blocked on a named pipe; an unhandled
exception ends with status 1 and the state saved; without a terminal, or on TERM=dumb, the reader
says why and ends at once; the terminal is asked how wide it draws ambiguous characters.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin_tui.state import State, load_state
from tests.reliability_support import (
    PAINTED,
    SEED,
    PtyProgram,
    environment,
    program,
    running,
    visible,
)

FIRST = "000_7b733c25521b607c.1"
TITLES = ("三大工程", "招商引资蹄疾步稳", "书记项目", "十九大宣讲进社区")


def state_of(home: Path) -> State:
    state, problem = load_state(home / ".local" / "state" / "bulletin-tui" / "state.toml")
    assert problem is None
    return state


def open_first(app: PtyProgram) -> int:
    """Open the first article; the byte count once it is shown."""
    mark = app.wait_for(lambda text: TITLES[-1] in text, "the section list")
    app.send("j", "\r")
    return app.wait_for("1 / 4 articles", "the first article", since=mark)


def open_and_bookmark(app: PtyProgram) -> int:
    """Open the first article and bookmark it; the byte count once the bookmark is confirmed."""
    mark = open_first(app)
    app.send("m")
    return app.wait_for("Bookmarked", "the bookmark", since=mark)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_right_after_a_bookmark_keeps_it(tmp_path: Path, sig: int) -> None:
    with running([str(program()), str(SEED)], environment(tmp_path)) as app:
        open_and_bookmark(app)
        os.kill(app.pid, sig)  # at once: well inside the second a change may wait to be saved
        assert app.wait() == 128 + sig, "ended by the signal without saving"
        raw = app.raw
    state = state_of(tmp_path)
    assert state.bookmarks == [FIRST] and FIRST in state.read
    if sig == signal.SIGTERM:
        assert b"\x1b[?1049l" in raw, "the terminal was not given back"


def test_the_terminal_going_away_ends_the_reader_even_with_sighup_ignored(
    tmp_path: Path,
) -> None:
    shell = ["/bin/sh", "-c", 'trap \'\' HUP; exec "$0" "$@"', str(program()), str(SEED)]
    app = PtyProgram(shell, environment(tmp_path))
    try:
        open_and_bookmark(app)
        before = cpu_seconds(app.pid)
        os.close(app.fd)  # the terminal window is closed; SIGHUP is ignored
        deadline = time.monotonic() + 20
        ended = False
        while time.monotonic() < deadline and not ended:
            done, status, usage = os.wait4(app.pid, os.WNOHANG)
            ended = bool(done)
            time.sleep(0.05)
        assert ended, "the reader is still running without a terminal"
        app.status = os.waitstatus_to_exitcode(status)
        spent = usage.ru_utime + usage.ru_stime - before
        assert spent < 2.0, f"{spent:.1f} s of CPU after the terminal went away"
    finally:
        if app.status is None:
            app.kill()
    assert app.status != 0
    assert state_of(tmp_path).bookmarks == [FIRST]


def test_ctrl_z_suspends_and_sigcont_redraws_everything(tmp_path: Path) -> None:
    with running([str(program()), str(SEED)], environment(tmp_path)) as app:
        mark = app.wait_for(lambda text: PAINTED in text and TITLES[-1] in text, "the first paint")
        app.send("\x1a")  # Ctrl+Z
        deadline = time.monotonic() + 20
        stopped = False
        while time.monotonic() < deadline and not stopped:
            app.settle(quiet=0.05, limit=0.2)
            done, status = os.waitpid(app.pid, os.WUNTRACED | os.WNOHANG)
            stopped = bool(done) and os.WIFSTOPPED(status)
        assert stopped, "Ctrl+Z did not suspend the reader"
        suspended = visible(app.raw[mark:])
        assert app.raw[mark:].count(b"\x1b[?1049l"), "the terminal was not given back"
        assert TITLES[0] not in suspended
        mark = len(app.raw)
        os.kill(app.pid, signal.SIGCONT)
        app.wait_for(
            lambda text: all(title in text for title in TITLES) and PAINTED in text,
            "the whole screen drawn again",
            since=mark,
        )
        app.send("q")
        assert app.wait() == 0


def test_on_a_terminal_that_is_not_its_controlling_terminal_the_reader_says_so_and_ends(
    tmp_path: Path,
) -> None:
    # `setsid bulletin-tui` from a shell: the reader ran detached on the shell's terminal, the
    # two read the same keys, and Ctrl+Z stopped it for good (nothing could resume it).
    setsid = shutil.which("setsid")
    if setsid is None:
        pytest.skip("no setsid command")
    with running([setsid, "-w", str(program()), str(SEED)], environment(tmp_path)) as app:
        assert app.wait(timeout=30) == 2
        text = visible(app.raw)
    assert "not its controlling terminal" in text and "\x1b[?1049h" not in app.raw.decode()


RESUMABLE = """
from bulletin_tui.terminal import can_be_resumed
print(can_be_resumed(0))
"""


def test_ctrl_z_stops_the_reader_only_where_a_shell_could_resume_it(tmp_path: Path) -> None:
    # The reader's Ctrl+Z asks this first: without a controlling terminal it says why instead.
    setsid = shutil.which("setsid")
    if setsid is None:
        pytest.skip("no setsid command")
    env = {**environment(tmp_path), "PYTHONPATH": os.pathsep.join(sys.path)}
    probe = [sys.executable, "-c", RESUMABLE]
    for argv, expected in ((probe, "True"), ([setsid, "-w", *probe], "False")):
        with running(argv, env) as app:
            assert app.wait(timeout=30) == 0
            assert visible(app.raw).split()[0] == expected


BLOCKED_WORKER = """
import sys
from bulletin_tui.library import Library

def refresh(self, *args, **kwargs):  # a file swapped for a named pipe nobody writes to
    with open(sys.argv[1], "rb") as pipe:
        pipe.read()

Library.refresh = refresh
from bulletin_tui.cli import main
sys.exit(main(sys.argv[2:]))
"""

CRASH = """
import sys
from bulletin_tui.ui.main_screen import MainScreen

bookmark = MainScreen.action_bookmark

def bookmark_then_fail(self):
    bookmark(self)
    raise RuntimeError("a defect")

MainScreen.action_bookmark = bookmark_then_fail
from bulletin_tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_q_ends_the_process_while_a_worker_is_blocked(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    script = tmp_path / "blocked.py"
    script.write_text(BLOCKED_WORKER, encoding="utf-8")
    argv = [sys.executable, str(script), str(pipe), str(SEED)]
    # In the cache already: the reader shows it while the refresh is stuck.
    subprocess.run(
        [str(program()), "index", str(SEED)], env=environment(tmp_path), check=True, timeout=60
    )
    with running(argv, environment(tmp_path)) as app:
        open_and_bookmark(app)
        assert "Indexing" in visible(app.raw)  # the worker is still stuck on the pipe
        app.send("q")
        assert app.wait(timeout=15) == 0
    assert state_of(tmp_path).bookmarks == [FIRST]


def test_an_unhandled_exception_ends_with_status_1_and_the_state_saved(tmp_path: Path) -> None:
    script = tmp_path / "crash.py"
    script.write_text(CRASH, encoding="utf-8")
    with running([sys.executable, str(script), str(SEED)], environment(tmp_path)) as app:
        open_first(app)
        app.send("m")
        assert app.wait() == 1
        assert "a defect" in visible(app.raw)
    assert state_of(tmp_path).bookmarks == [FIRST]


def test_without_a_terminal_the_reader_says_so_and_ends(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(program()), str(SEED)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=environment(tmp_path),
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    message = result.stderr.decode()
    assert "needs a terminal" in message
    assert all(command in message for command in ("list", "show", "search"))
    assert result.stdout == b""


def test_a_dumb_terminal_is_refused(tmp_path: Path) -> None:
    with running([str(program()), str(SEED)], environment(tmp_path, TERM="dumb")) as app:
        assert app.wait(timeout=30) == 2
        text = visible(app.raw)
    assert "capable terminal" in text and "\x1b[?1049h" not in app.raw.decode()


def _help_line(app: PtyProgram, mark: int) -> str:
    app.send("?")
    text = app.wait_for(" wide: ", "the help screen's terminal line", since=mark)
    shown = visible(app.raw[mark:text])
    return next(line for line in shown.splitlines() if " wide: " in line)


@pytest.mark.parametrize(
    ("answer", "env", "expected"),
    [
        (b"\x1b[5;3R", {}, "2 cells wide: measured on this terminal"),
        (b"\x1b[5;2R", {}, "1 cell wide: measured on this terminal"),
        (None, {}, "1 cell wide: the default"),
        (b"\x1b[5;3R", {"BULLETIN_TUI_AMBIGUOUS_WIDTH": "1"}, "1 cell wide: set by"),
    ],
)
def test_the_terminal_is_asked_how_wide_ambiguous_characters_are(
    tmp_path: Path, answer: bytes | None, env: dict[str, str], expected: str
) -> None:
    with running([str(program()), str(SEED)], environment(tmp_path, **env)) as app:
        if answer is not None and not env:
            # Play the terminal: a CJK-width one draws … two cells wide (column 3 after it).
            app.wait_for(lambda _text: b"\x1b[6n" in app.raw, "the question")
            assert app.raw.startswith("\r…".encode())
            os.write(app.fd, answer)
        mark = app.wait_for(PAINTED, "the first paint")
        assert (b"\x1b[6n" in app.raw) == (not env), "asked when set, or not asked when not"
        assert expected in _help_line(app, mark)
        # ? closes the help as Esc does; a lone Esc read together with the q behind it (a busy
        # machine) made one key, Alt+Q, and the reader never ended.
        app.send("?", "q")
        assert app.wait() == 0
