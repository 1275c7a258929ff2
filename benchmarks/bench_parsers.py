"""CommonMark parsers on the same issues: markdown-it-py (what parse/ used) against two compiled ones.

    python benchmarks/bench_parsers.py [--repeat 3]

Each parser turns every issue of the nanna corpus (else the seed issue, repeated) into its own
structure: markdown-it-py's tokens, markdown-it-pyrs's syntax tree, pyromark's events (both compiled,
Rust). The figure is megabytes parsed per second, best of `repeat`, beside markdown-it-py in the same
run; `ours` is the whole of parse_issue (pyromark's events, raw blocks, building the issue). A parser
that is not installed (`pip install -e '.[bench]'`) is shown as missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "nanna"
SEED = REPO / "seeds" / "000_7b733c25521b607c.txt"


def texts() -> list[str]:
    files = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
    if files:
        return [path.read_text(encoding="utf-8") for path in files]
    return [SEED.read_text(encoding="utf-8")] * 50


def parsers() -> dict[str, Callable[[str], Any] | None]:
    from markdown_it import MarkdownIt

    from bulletin_tui.parse import parse_issue

    found: dict[str, Callable[[str], Any] | None] = {}
    python = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    found["markdown-it-py"] = python.parse
    if importlib.util.find_spec("markdown_it_pyrs"):
        import markdown_it_pyrs

        rust = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough"])
        found["markdown-it-pyrs"] = rust.tree
    else:
        found["markdown-it-pyrs"] = None
    if importlib.util.find_spec("pyromark"):
        import pyromark

        found["pyromark"] = lambda text: list(pyromark.events(text))
    else:
        found["pyromark"] = None
    found["ours (parse_issue)"] = lambda text: parse_issue(text, path="x.md", issue_id="x")
    return found


def run(repeat: int = 3) -> dict[str, Any]:
    documents = texts()
    megabytes = sum(len(text.encode()) for text in documents) / 1e6
    results: dict[str, Any] = {"megabytes": round(megabytes, 2), "parsers": {}}
    for name, parse in parsers().items():
        if parse is None:
            results["parsers"][name] = None
            continue
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            for text in documents:
                parse(text)
            best = min(best, time.perf_counter() - started)
        results["parsers"][name] = round(megabytes / best, 2)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = run(args.repeat)
    base = results["parsers"]["markdown-it-py"]
    print(f"{results['megabytes']} MB of issues")
    for name, rate in results["parsers"].items():
        if rate is None:
            print(f"{name:<20} not installed")
        else:
            print(f"{name:<20} {rate:7.2f} MB/s  {rate / base:5.2f}× markdown-it-py")


if __name__ == "__main__":
    main()
