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
- `bulletin-tui index` of an article of INDEX_PARAGRAPHS tiny paragraphs into an empty cache: the
  peak resident memory of the whole process tree (the command and its parse workers, summed from
  /proc every 50 ms); baseline: a document of as many bytes in ordinary paragraphs. Holding every
  paragraph as an object until the issue was built, 1.9 million of them (15.2 MB) took 1.55 GB.
- The same article from a warm cache, opened in a fresh reader at 80x24: the time to its first
  screen, the memory the reader holds then (RSS), and what `G` laying the rest out to its end
  leaves held (Python's allocations, by tracemalloc); baseline: an article of 30 paragraphs from
  the same cache.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import bench_startup  # noqa: E402
from bench_build import tree_rss_mb  # noqa: E402

HEADINGS, PARAGRAPHS = 50_000, 200_000
QUICK_HEADINGS, QUICK_PARAGRAPHS = 2_000, 20_000
NORMAL_PARAGRAPHS = 30  # the baseline article of the cached first paint
INDEX_PARAGRAPHS, QUICK_INDEX_PARAGRAPHS = 1_900_000, 100_000  # 15.2 MB at the full count


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


def write_tiny(folder: Path, count: int) -> Path:
    """The document the peak was found on: `count` paragraphs of 字段 under one heading."""
    folder.mkdir(parents=True, exist_ok=True)
    text = "# 段落很多 2025-02-01\n\n## 一篇段落极多的文章\n\n" + "字段\n\n" * count
    (folder / "2025-02-01.md").write_text(text, encoding="utf-8")
    return folder


def write_ordinary(folder: Path, size: int) -> Path:
    """About `size` bytes of ordinary articles: ten paragraphs of some 120 characters each."""
    folder.mkdir(parents=True, exist_ok=True)
    sentence = "本报讯 今年以来，开发区围绕重点项目建设，加快推进产业转型升级，取得明显成效。"
    paragraph = sentence * 3 + "\n\n"
    parts = ["# 普通的一期 2025-03-01\n\n"]
    written, number = 0, 0
    while written < size:
        article = f"## 第{number}篇文章\n\n" + paragraph * 10
        parts.append(article)
        written += len(article.encode("utf-8"))
        number += 1
    (folder / "2025-03-01.md").write_text("".join(parts), encoding="utf-8")
    return folder


def _index_peak_mb(folder: Path, cache: Path, env: dict[str, str]) -> tuple[float, float]:
    """`bulletin-tui index` of `folder` into the empty `cache`: peak tree RSS (MB), seconds."""
    argv = [sys.executable, "-m", "bulletin_tui", "index", "--cache-dir", str(cache), str(folder)]
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.05)
    if process.returncode:
        raise RuntimeError(f"index of {folder} failed ({process.returncode})")
    return peak, time.perf_counter() - started


def index_peak(work: Path, count: int) -> dict[str, Any]:
    """Peak memory of `index` on `count` tiny paragraphs vs as many bytes of ordinary text."""
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = bench_startup._environment(home)
    tiny = write_tiny(work / "tiny", count)
    size = sum(path.stat().st_size for path in tiny.iterdir())
    ordinary = write_ordinary(work / "ordinary", size)
    tiny_mb, tiny_s = _index_peak_mb(tiny, work / "cache-tiny", env)
    ordinary_mb, ordinary_s = _index_peak_mb(ordinary, work / "cache-ordinary", env)
    return {
        "paragraphs": count,
        "bytes": size,
        "peak_mb": round(tiny_mb, 1),
        "seconds": round(tiny_s, 1),
        "ordinary_peak_mb": round(ordinary_mb, 1),
        "ordinary_seconds": round(ordinary_s, 1),
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


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


async def _open_cached_once(folder: Path, cache: Path) -> dict[str, float]:
    """One article from a warm cache, opened in a fresh reader: the time to its first screen,
    and the memory it holds then and once laid out to its end."""
    from bulletin_tui.library import open_library
    from bulletin_tui.ui.app import BulletinApp

    library = open_library([folder], cache_dir=cache, refresh=False)
    article = library.issues[0].articles[0]  # its blocks not read yet
    app = BulletinApp(library, index=False, warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reader = app.main_screen.reader
        before = _rss_mb()
        painted = asyncio.Event()
        started = time.perf_counter()
        app.main_screen.open_article(article.id)
        reader.call_after_refresh(painted.set)  # once the reader has drawn its first screen
        await painted.wait()
        paint_ms = (time.perf_counter() - started) * 1000
        opened = _rss_mb() - before
        # What the rest of the layout holds, counted by the allocator rather than read off RSS:
        # a change in RSS this small is noise (an article of 30 paragraphs showed -0 MB).
        tracemalloc.start()
        await pilot.press("G")
        while not (reader.whole and reader.scroll_y == reader.max_scroll_y):
            await asyncio.sleep(0.01)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
        return {"paint_ms": paint_ms, "open_mb": opened, "whole_mb": held}


def cached_first_paint(work: Path, count: int, repeats: int) -> dict[str, Any]:
    """An article of `count` tiny paragraphs from a warm cache vs one of NORMAL_PARAGRAPHS: the
    first paint, and what the reader holds. Before the cache kept blocks in pages it built every
    block first (1.9 million paragraphs: 6.4 s to the first screen)."""
    from bulletin_tui.library import open_library

    cache = work / "cache"
    folders = {
        "huge": write_paragraphs(work / "huge", count),
        "normal": write_paragraphs(work / "normal", NORMAL_PARAGRAPHS),
    }
    for folder in folders.values():
        open_library([folder], cache_dir=cache)  # parsed and stored once
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in folders}
    for _ in range(repeats):
        for name, folder in folders.items():
            runs[name].append(asyncio.run(_open_cached_once(folder, cache)))

    def median(name: str, key: str) -> float:
        values = sorted(run[key] for run in runs[name])
        return round(values[len(values) // 2], 1)

    return {
        "paragraphs": count,
        "first_paint_ms": median("huge", "paint_ms"),
        "first_paint_normal_ms": median("normal", "paint_ms"),
        "normal_paragraphs": NORMAL_PARAGRAPHS,
        "opened_mb": median("huge", "open_mb"),
        "laid_out_mb": median("huge", "whole_mb"),
        "laid_out_normal_mb": median("normal", "whole_mb"),
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
        cached = cached_first_paint(work / "cached", count, 1 if quick else 3)
        index = index_peak(work / "index", QUICK_INDEX_PARAGRAPHS if quick else INDEX_PARAGRAPHS)
    return {"headings": headings, "paragraphs": paragraphs, "cached": cached, "index": index}


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
