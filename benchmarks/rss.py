"""Peak memory of the reader with a library open, beside a bare Textual app, both on a real pty.

    python benchmarks/rss.py LIBRARY CACHE_DIR

Each program runs on a pseudo-terminal of its own. The bare app (one Static) is measured once its
first frame is drawn; the reader at its first frame, once its background refresh and word segmenter
have finished, and once a search typed into it has shown its results. The figure is VmHWM from
/proc/<pid>/status: the most resident memory the process ever had (Linux only). While the reader
builds its first index, the figure is the peak of its whole process tree (the reader, its fork
server and parse workers), their VmRSS summed every 50 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path
from typing import Any

from bench_build import tree_rss_mb

SIZE = (100, 30)
TIMEOUT = 300.0
QUERY = "南京"
COLD_FREE_MB = 2048  # measure a cold build only with this much memory free
BARE_MARKER = "bare app first paint"
# The reader's first frame says it is bringing the library up to date, with the newest issue open;
# the status line shows the keys ("? help") once that is done.
FIRST_FRAME = ("Indexing", "▾ ")
LOADED = "help"
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|.)")

BARE_APP = f"""
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static({BARE_MARKER!r})


Bare().run()
"""


class Terminal:
    """A program on a pty: wait for text, type keys, read its memory, end it."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.output = b""
        pid, fd = pty.fork()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"the program ended: {self.text()[-800:]}")
            self.output += chunk

    def text(self, since: int = 0) -> str:
        return _ESCAPES.sub("", self.output[since:].decode("utf-8", "replace"))

    def wait_for(self, *markers: str, since: int = 0, any_of: bool = False) -> int:
        """Read until every one of `markers` (or one, with `any_of`) has been drawn (after byte
        `since`)."""
        deadline = time.monotonic() + TIMEOUT
        done = any if any_of else all
        while not done(marker in self.text(since) for marker in markers):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {markers!r} in {TIMEOUT} s: {self.text()[-800:]}")
            self._read(0.02)
        return len(self.output)

    def settle(self, quiet: float = 1.0) -> None:
        """Wait until nothing has been drawn for `quiet` seconds (background work is done)."""
        last, calm = len(self.output), time.monotonic()
        deadline = calm + TIMEOUT
        while time.monotonic() - calm < quiet and time.monotonic() < deadline:
            self._read(0.1)
            if len(self.output) != last:
                last, calm = len(self.output), time.monotonic()

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode("utf-8"))

    def memory_kb(self) -> dict[str, int]:
        status = Path(f"/proc/{self.pid}/status").read_text(encoding="ascii")
        found = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.MULTILINE))
        return {name: int(value) for name, value in found.items()}

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def _environment(home: Path, cache_dir: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "BULLETIN_TUI_CACHE_DIR": str(cache_dir),
        "BULLETIN_TUI_CONFIG": str(home / "config.toml"),
        "BULLETIN_TUI_STATE_DIR": str(home / "state"),
    }


def _mb(kilobytes: int) -> float:
    return round(kilobytes / 1024, 1)


def bare_app(work: Path, env: dict[str, str]) -> dict[str, float]:
    script = work / "bare_app.py"
    script.write_text(BARE_APP, encoding="utf-8")
    terminal = Terminal([sys.executable, str(script)], env)
    try:
        terminal.wait_for(BARE_MARKER)
        terminal.settle()
        memory = terminal.memory_kb()
    finally:
        terminal.close()
    return {"peak_mb": _mb(memory["VmHWM"]), "rss_mb": _mb(memory["VmRSS"])}


def reader(library: Path, env: dict[str, str], query: str = QUERY) -> dict[str, float]:
    terminal = Terminal([sys.executable, "-m", "bulletin_tui", "read", str(library)], env)
    try:
        terminal.wait_for(*FIRST_FRAME)
        at_paint = terminal.memory_kb()
        mark = terminal.wait_for(LOADED)
        terminal.settle()
        loaded = terminal.memory_kb()
        terminal.type("/")
        mark = terminal.wait_for("Type to search", since=mark)
        terminal.type(query)
        terminal.wait_for("result", "No match", since=mark, any_of=True)
        terminal.settle()
        memory = terminal.memory_kb()
    finally:
        terminal.close()
    return {
        "first_paint_peak_mb": _mb(at_paint["VmHWM"]),
        "loaded_peak_mb": _mb(loaded["VmHWM"]),
        "peak_mb": _mb(memory["VmHWM"]),
        "rss_mb": _mb(memory["VmRSS"]),
    }


def cold_index(library: Path, env: dict[str, str]) -> dict[str, float]:
    """The reader on an empty cache while it builds the whole cache and index in the background:
    the peak of its process tree's summed RSS (sampled every 50 ms), and the reader's own VmHWM."""
    terminal = Terminal([sys.executable, "-m", "bulletin_tui", "read", str(library)], env)
    try:
        started = time.perf_counter()
        # The keys ("? help") are in the very first frame too, before the build shows itself.
        mark = terminal.wait_for("Indexing")
        peak = tree_rss_mb(terminal.pid)
        deadline = time.monotonic() + TIMEOUT * 10
        while LOADED not in terminal.text(mark):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the first index took over {TIMEOUT * 10} s")
            terminal._read(0.05)
            peak = max(peak, tree_rss_mb(terminal.pid))
        seconds = time.perf_counter() - started
        memory = terminal.memory_kb()
    finally:
        terminal.close()
    return {
        "peak_mb": round(peak, 1),
        "reader_peak_mb": _mb(memory["VmHWM"]),
        "seconds": round(seconds, 1),
    }


def _available_mb() -> float:
    status = Path("/proc/meminfo").read_text(encoding="ascii")
    found = re.search(r"^MemAvailable:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0.0


def run(library: Path, cache_dir: Path, work: Path, query: str = QUERY) -> dict[str, Any]:
    """Peak RSS of the bare app and of the reader over `library` with the cache in `cache_dir`
    (warm if it was built before), and of the reader building a cache from nothing, in MB."""
    home = work / "rss-home"
    home.mkdir(parents=True, exist_ok=True)
    env = _environment(home, cache_dir)
    bare = bare_app(work, env)
    app = reader(library, env, query)
    results: dict[str, Any] = {
        "bare_peak_mb": bare["peak_mb"],
        "app_first_paint_peak_mb": app["first_paint_peak_mb"],
        "app_loaded_peak_mb": app["loaded_peak_mb"],
        "app_peak_mb": app["peak_mb"],
        "app_rss_mb": app["rss_mb"],
        "ratio": round(app["peak_mb"] / bare["peak_mb"], 2),
    }
    text_mb = sum(path.stat().st_size for path in library.rglob("*.md")) / 2**20
    # A first build once took about 35 times the text's size; it is bounded now by a parse batch
    # and an index segment, not the library, but a regression must not push a shared machine
    # into swap or the OOM killer to find out.
    if _available_mb() > COLD_FREE_MB:
        cold = cold_index(library, _environment(home, work / "cold-cache"))
        results["cold_index_peak_mb"] = cold["peak_mb"]  # the process tree
        results["cold_index_reader_peak_mb"] = cold["reader_peak_mb"]
        results["cold_index_seconds"] = cold["seconds"]
        # Above the bare app's peak, per MB of text: how the build's memory grows with the library.
        extra = cold["peak_mb"] - bare["peak_mb"]
        results["cold_index_mb_per_text_mb"] = round(extra / text_mb, 1)
    else:
        results["cold_index_skipped"] = (
            f"{_available_mb():.0f} MB available, under {COLD_FREE_MB} MB"
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("cache_dir", type=Path)
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-rss-") as work:
        print(json.dumps(run(args.library, args.cache_dir, Path(work)), indent=2))


if __name__ == "__main__":
    main()
