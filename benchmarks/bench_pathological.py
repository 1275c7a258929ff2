"""Pathological but legal documents in the reader, each beside a baseline from the same run.

    python benchmarks/bench_pathological.py [--quick] [--json FILE]

- First paint of an issue of HEADINGS headings (each its own article), on a warm cache, on a real
  pty; baseline: the first paint of an issue of 100 headings. Before the section list filled
  issues lazily, 50,000 headings kept the screen blank for 80 s.
- An article of PARAGRAPHS tiny paragraphs, opened in the reader (Textual's headless mode): the
  time until its first screen is laid out, and the longest the event loop is kept from keys while
  the rest is laid out and G goes to its end; baseline: laying out the whole article in one go,
  what the screen froze for before the layout went in steps (6.4 s to open, 11 s for G at 1.9
  million paragraphs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import bench_startup  # noqa: E402

HEADINGS, PARAGRAPHS = 50_000, 200_000
QUICK_HEADINGS, QUICK_PARAGRAPHS = 2_000, 20_000


def write_headings(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    parts = ["# 标题很多的一期 2025-01-01\n"]
    parts += [f"## 第{n}条消息\n\n正文{n}。\n" for n in range(count)]
    (folder / "2025-01-01.md").write_text("\n".join(parts), encoding="utf-8")
    return folder


def headings_first_paint(work: Path, count: int, repeats: int) -> dict[str, Any]:
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = bench_startup._environment(home)
    times: dict[str, list[float]] = {"many": [], "few": []}
    libraries = {
        "many": write_headings(work / "many", count),
        "few": write_headings(work / "few", 100),
    }
    for library in libraries.values():
        subprocess.run(
            [sys.executable, "-m", "bulletin_tui", "index", str(library)],
            env=env,
            check=True,
            capture_output=True,
        )
    for run in range(repeats + 1):  # the first round warms the file and bytecode caches
        for name, library in libraries.items():
            argv = [sys.executable, "-m", "bulletin_tui", "read", str(library)]
            seconds = bench_startup.first_paint(argv, env, ("第0条消息",))
            if run:
                times[name].append(seconds * 1000)
    return {
        "headings": count,
        "first_paint_ms": round(sorted(times["many"])[len(times["many"]) // 2], 1),
        "first_paint_100_headings_ms": round(sorted(times["few"])[len(times["few"]) // 2], 1),
    }


def write_paragraphs(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    body = "".join(f"第{n}段。\n\n" for n in range(count))
    text = f"# 段落很多 2025-02-01\n\n## 一篇段落极多的文章\n\n{body}"
    (folder / "2025-02-01.md").write_text(text, encoding="utf-8")
    return folder


async def _open_and_end(folder: Path, count: int) -> dict[str, Any]:
    from textual import events

    from bulletin_tui.library import open_library
    from bulletin_tui.typeset import layout_article
    from bulletin_tui.ui.app import BulletinApp

    library = open_library([write_paragraphs(folder, count)], use_cache=False)
    article = library.issues[0].articles[0]
    started = time.perf_counter()
    layout_article(article, 100)
    whole_ms = (time.perf_counter() - started) * 1000
    app = BulletinApp(library, index=False, warm=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        reader = app.main_screen.reader
        started = time.perf_counter()
        app.main_screen.open_article(article.id)
        open_ms = (time.perf_counter() - started) * 1000
        # G at once, not waited for: the loop below sees every stall until the end is shown.
        app.post_message(events.Key("G", "G"))
        longest = 0.0
        while not (reader.whole and reader.scroll_y == reader.max_scroll_y):
            tick = time.perf_counter()
            await asyncio.sleep(0)
            longest = max(longest, time.perf_counter() - tick)
    return {
        "paragraphs": count,
        "open_ms": round(open_ms, 1),
        "longest_stall_ms": round(longest * 1000, 1),
        "whole_layout_ms": round(whole_ms, 1),
    }


def run(quick: bool = False) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-pathological-") as temporary:
        work = Path(temporary)
        headings = headings_first_paint(
            work, QUICK_HEADINGS if quick else HEADINGS, 1 if quick else 3
        )
        count = QUICK_PARAGRAPHS if quick else PARAGRAPHS
        # The reader saves its state: into the temporary folder, never the user's.
        os.environ["BULLETIN_TUI_STATE_DIR"] = str(work / "state")
        paragraphs = asyncio.run(_open_and_end(work / "paragraphs", count))
    return {"headings": headings, "paragraphs": paragraphs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 headings, 20,000 paragraphs")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    args = parser.parse_args()
    result = run(quick=args.quick)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
