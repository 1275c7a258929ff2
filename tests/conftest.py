"""Shared fixtures. Every test runs with its cache, config and state inside its own tmp_path."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_7b733c25521b607c.txt"
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus" / "nanna"


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME, XDG and our own overrides at a fresh folder: tests never touch the real home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for variable, sub in (
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    monkeypatch.setenv("BULLETIN_TUI_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("BULLETIN_TUI_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("BULLETIN_TUI_STATE_DIR", str(home / "state"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    # No browser is ever started by a test, and links are drawn the same on every terminal.
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("FORCE_HYPERLINK", "0")
    return home


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the nanna corpus is not present at {CORPUS}")
    return CORPUS


def corpus_files() -> list[Path]:
    """Every nanna issue where the corpus is present, else the copies in tests/fixtures/nanna."""
    if CORPUS.is_dir():
        return sorted(CORPUS.glob("*.md"))
    return sorted((FIXTURES / "nanna").glob("*.md"))


def _stat_fields(pid: str) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _left_running() -> dict[int, str]:
    """Processes of this Python (the program, its workers, a fork server) started after this run
    and now orphaned (their parent is init): what a test left running."""
    own = _stat_fields("self")
    if own is None:
        return {}
    started, ours = int(own[19]), str(Path(sys.executable).parent)
    found = {}
    for entry in Path("/proc").iterdir():
        fields = _stat_fields(entry.name) if entry.name.isdigit() else None
        if fields is None or fields[0] in ("Z", "X") or fields[1] != "1":
            continue
        if int(fields[19]) < started:
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and os.fsdecode(argv[0]).startswith(ours):
            found[int(entry.name)] = b" ".join(argv).decode("utf-8", "replace")[:200]
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if it left processes behind (a parse worker that outlived its program, a
    program no test ended), and end them: on a shared server they would stay for ever."""
    if not Path("/proc/self/stat").exists():
        return
    deadline = time.monotonic() + 3  # a process killed at the very end may still be exiting
    while (left := _left_running()) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not left:
        return
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    listed = "\n".join(f"  {pid}: {command}" for pid, command in left.items())
    print(f"\nprocesses left running by the tests (now killed):\n{listed}", file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
