"""Start-up and article-opening figures for the reader, each beside its baseline from the same run.

    python benchmarks/bench_startup.py [--articles 10000] [--repeats 5] [--json FILE]

Targets (from the issue): the first paint of `bulletin-tui` on a warm cache of 10,000 articles
<= 1.25x the first paint of a bare Textual app showing one Static; on a cold cache <= 1.5x; opening
a 20,000-character article and painting it <= 50 ms.

First paint is timed on a real pseudo-terminal: from just before the process is started until the
first frame holding the screen's text has been written to the terminal. The bare app and the reader
take turns, so both see the same load on a shared machine; medians are reported.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

import genlib  # noqa: E402

SIZE = (80, 24)
TIMEOUT = 120.0
ARTICLE_CHARS = 20_000
BARE_MARKERS = ("bare app first paint",)
# Drawn in the reader's first frame: the status line says the library is being brought up to date
# (a background worker starts right after the first paint) and, on a warm cache, the newest issue
# is open in the section list.
WARM_MARKERS = ("Indexing", "▾ ")
COLD_MARKERS = ("Indexing", "No issues yet")
CURSOR_QUERY, CURSOR_ANSWER = b"\x1b[6n", b"\x1b[1;2R"  # column 2: "…" was one cell wide
_ESCAPES = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|.)"
)

BARE_APP = f"""
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static({BARE_MARKERS[0]!r})


Bare().run()
"""


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def first_paint(argv: list[str], env: dict[str, str], markers: tuple[str, ...]) -> float:
    """Seconds from starting `argv` on a pty until every marker is drawn; the process is then ended."""
    return first_paint_and_cpu(argv, env, markers)[0]


def first_paint_and_cpu(
    argv: list[str], env: dict[str, str], markers: tuple[str, ...]
) -> tuple[float, float]:
    """Wall seconds to the first paint, and the CPU seconds the process had used by then.

    CPU time is steadier than wall time on a shared machine, so it is reported beside it.
    """
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal, then become the program
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        os.execve(argv[0], argv, env)
    output = b""
    answered = False
    wanted = [marker.encode("utf-8") for marker in markers]
    try:
        deadline = started + TIMEOUT
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no {markers!r} from {argv} in {TIMEOUT} s")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the program ended
                raise RuntimeError(f"{argv} ended before drawing {markers!r}") from None
            output += chunk
            if not answered and CURSOR_QUERY in output:
                # Answer as a terminal does: the reader asks where its probe character left the
                # cursor (for the ambiguous width) and reads the answer while it opens the library.
                os.write(fd, CURSOR_ANSWER)
                answered = True
            text = _ESCAPES.sub(b"", output)
            if all(marker in text for marker in wanted):
                elapsed = time.perf_counter() - started
                break
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _pid, _status, usage = os.wait4(pid, 0)
        os.close(fd)
    return elapsed, usage.ru_utime + usage.ru_stime


def _environment(home: Path) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "BULLETIN_TUI_CONFIG": str(home / "config.toml"),
        "BULLETIN_TUI_STATE_DIR": str(home / "state"),
        "BULLETIN_TUI_CACHE_DIR": str(home / "cache"),
    }
    return env


def startup(library: Path, work: Path, repeats: int) -> dict[str, Any]:
    """First paint of the bare app, and of the reader on a warm and a cold cache, taking turns."""
    home = work / "home"
    home.mkdir(exist_ok=True)
    env = _environment(home)
    bare_script = work / "bare_app.py"
    bare_script.write_text(BARE_APP, encoding="utf-8")
    bare = [sys.executable, str(bare_script)]
    reader = [sys.executable, "-m", "bulletin_tui", "read", str(library)]
    cache = home / "cache"

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bulletin_tui", "index", str(library)],
        env=env,
        check=True,
        capture_output=True,
    )
    index_seconds = time.perf_counter() - started

    # One unmeasured run of each warms the OS file cache and Python's bytecode caches.
    first_paint(bare, env, BARE_MARKERS)
    first_paint(reader, env, WARM_MARKERS)
    walls: dict[str, list[float]] = {"bare": [], "warm": [], "cold": []}
    cpus: dict[str, list[float]] = {"bare": [], "warm": [], "cold": []}

    def measure(name: str, argv: list[str], markers: tuple[str, ...]) -> None:
        wall, cpu = first_paint_and_cpu(argv, env, markers)
        walls[name].append(wall)
        cpus[name].append(cpu)

    for _ in range(repeats):
        measure("bare", bare, BARE_MARKERS)
        measure("warm", reader, WARM_MARKERS)
        warm_cache = work / "warm-cache"
        shutil.rmtree(warm_cache, ignore_errors=True)
        if cache.exists():
            cache.rename(warm_cache)
        measure("cold", reader, COLD_MARKERS)
        shutil.rmtree(cache, ignore_errors=True)
        if warm_cache.exists():
            warm_cache.rename(cache)
    wall = {name: statistics.median(values) for name, values in walls.items()}
    cpu = {name: statistics.median(values) for name, values in cpus.items()}
    return {
        "index_build_ms": _ms(index_seconds),
        "bare_first_paint_ms": _ms(wall["bare"]),
        "warm_first_paint_ms": _ms(wall["warm"]),
        "cold_first_paint_ms": _ms(wall["cold"]),
        "warm_ratio": round(wall["warm"] / wall["bare"], 3),
        "cold_ratio": round(wall["cold"] / wall["bare"], 3),
        "warm_target_ratio": 1.25,
        "cold_target_ratio": 1.5,
        "cpu_ms": {name: _ms(value) for name, value in cpu.items()},
        "cpu_warm_ratio": round(cpu["warm"] / cpu["bare"], 3),
        "cpu_cold_ratio": round(cpu["cold"] / cpu["bare"], 3),
        "samples_ms": {name: [_ms(t) for t in values] for name, values in walls.items()},
    }


def long_issue(folder: Path, chars: int = ARTICLE_CHARS) -> Path:
    """An issue with two articles of `chars` characters each, from the generator's text."""
    paragraphs, _titles = genlib.load_text()
    parts = ["# 长文 2030-01-01", ""]
    for number in (1, 2):
        parts += [f"## 长文第{number}篇", ""]
        total = 0
        index = number
        while total < chars:
            paragraph = paragraphs[index % len(paragraphs)]
            parts += [paragraph, ""]
            total += len(paragraph)
            index += 7
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2030-01-01.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


async def _open_and_paint(folder: Path, repeats: int) -> dict[str, Any]:
    from bulletin_tui.library import open_library
    from bulletin_tui.ui.app import BulletinApp

    library = open_library([folder], use_cache=False)
    ids = [article.id for article in library.articles]
    sizes = [len(article.body_text) for article in library.articles]
    app = BulletinApp(library, index=False, warm=False)
    painted: list[float] = []  # when each screen update was handed to the terminal
    display = app._display

    def timed_display(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            painted.append(time.perf_counter())
        display(screen, renderable)

    app._display = timed_display  # type: ignore[method-assign]
    timings: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.main_screen
        for run in range(repeats * 2 + 2):
            article_id = ids[run % 2]
            painted.clear()
            started = time.perf_counter()
            screen.open_article(article_id, focus=False)
            await pilot.pause()
            # The first screen update after opening is the first paint of the article; the rest
            # of a long article is laid out after it, in a thread: let that finish before the
            # next opening so each starts from a quiet app.
            await app.workers.wait_for_complete()
            await pilot.pause()
            if run >= 2 and painted:  # the first of each is a warm-up
                timings.append(painted[0] - started)
    median = statistics.median(timings)
    return {
        "article_chars": min(sizes),
        "open_and_paint_ms": _ms(median),
        "open_and_paint_p95_ms": _ms(sorted(timings)[int(0.95 * (len(timings) - 1))]),
        "open_target_ms": 50,
    }


def run(articles: int = 10_000, repeats: int = 5, keep: Path | None = None) -> dict[str, Any]:
    """Every figure as a dict; `keep` keeps the generated library there instead of a temp dir."""
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as temporary:
        work = Path(temporary)
        library = keep or work / "library"
        if not (library.is_dir() and any(library.iterdir())):
            genlib.generate(library, articles=articles)
        results: dict[str, Any] = {"articles": articles, "terminal": f"{SIZE[0]}x{SIZE[1]}"}
        results |= startup(library, work, repeats)
        results |= asyncio.run(_open_and_paint(long_issue(work / "long"), repeats * 4))
    results["passes"] = {
        "warm": results["warm_ratio"] <= results["warm_target_ratio"],
        "cold": results["cold_ratio"] <= results["cold_target_ratio"],
        "open": results["open_and_paint_ms"] <= results["open_target_ms"],
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate (or reuse) the library here")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    results = run(args.articles, args.repeats, args.keep)
    print(
        f"first paint, bare Textual app:   {results['bare_first_paint_ms']:8.1f} ms\n"
        f"first paint, warm cache:         {results['warm_first_paint_ms']:8.1f} ms"
        f"  ({results['warm_ratio']:.2f}x, target <= {results['warm_target_ratio']}x)\n"
        f"first paint, cold cache:         {results['cold_first_paint_ms']:8.1f} ms"
        f"  ({results['cold_ratio']:.2f}x, target <= {results['cold_target_ratio']}x)\n"
        f"CPU to first paint (bare/warm/cold): {results['cpu_ms']['bare']} / "
        f"{results['cpu_ms']['warm']} / {results['cpu_ms']['cold']} ms "
        f"({results['cpu_warm_ratio']:.2f}x / {results['cpu_cold_ratio']:.2f}x)\n"
        f"index build ({results['articles']} articles):  {results['index_build_ms']:8.1f} ms\n"
        f"open + paint {results['article_chars']}-char article: {results['open_and_paint_ms']:6.1f} ms"
        f"  (p95 {results['open_and_paint_p95_ms']} ms, target <= {results['open_target_ms']} ms)"
    )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
