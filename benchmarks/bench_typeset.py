"""Typesetting figures, each beside Rich's own wrapping measured in the same run.

    python benchmarks/bench_typeset.py [--quick] [--json FILE]

Targets (from the issue): a 20,000-character article laid out at width 80 in <= 20 ms, and
re-layout on resize without a visible stall. Quality is measured too, over the seed at widths 20-80,
for Rich's `Text.wrap` (the baseline the issue describes) and for this typesetter: lines starting
with a closing mark, lines ending with an opening quote, split Latin words, and the largest
shortfall of a line inside a paragraph.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from bulletin_tui.model import Article, Block
from bulletin_tui.sources import load_issue
from bulletin_tui.typeset import PARAGRAPH_INDENT, LayoutOptions, layout_article, layout_paragraph

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_7b733c25521b607c.txt"
ARTICLE_CHARS = 20_000
WIDTH = 80
RESIZE_WIDTHS = (60, 72, 80, 96, 120, 100, 88, 64)
CLOSING = set("，。、；：？！）》」』”’…—%,.;:?!)%")
OPENING = set("（《「『“‘(")
_LATIN = re.compile(r"[A-Za-z0-9]")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def seed_paragraphs() -> list[str]:
    issue = load_issue(SEED)
    if not isinstance(issue, object) or not hasattr(issue, "articles"):
        raise SystemExit(f"cannot load {SEED}")
    return [block.text for article in issue.articles for block in article.paragraphs]


def big_article(paragraphs: list[str], chars: int = ARTICLE_CHARS) -> Article:
    """An article of about `chars` characters made of the seed's paragraphs, repeated."""
    blocks: list[Block] = []
    total = 0
    while total < chars:
        for text in paragraphs:
            blocks.append(Block("paragraph", text))
            total += len(text)
            if total >= chars:
                break
    return Article(id="bench.1", title="基准文章", blocks=tuple(blocks))


def _time(func: Any, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def timing(article: Article, repeats: int) -> dict[str, Any]:
    options = LayoutOptions(measure=0)
    console = Console(width=200, file=open("/dev/null", "w"), color_system=None)  # noqa: SIM115
    texts = [Text(PARAGRAPH_INDENT + block.text) for block in article.blocks]

    def ours() -> None:
        layout_article(article, WIDTH, options)

    def rich_wrap() -> None:
        for text in texts:
            text.wrap(console, WIDTH)

    ours()  # warm the width caches, as a running reader has
    rich_wrap()
    mine = _time(ours, repeats)
    baseline = _time(rich_wrap, repeats)
    resize = []
    for _ in range(max(1, repeats // len(RESIZE_WIDTHS))):
        for width in RESIZE_WIDTHS:
            start = time.perf_counter()
            layout_article(article, width, options)
            resize.append(time.perf_counter() - start)
    p50, p95 = statistics.median(mine), _percentile(mine, 0.95)
    rich50 = statistics.median(baseline)
    return {
        "article_chars": sum(len(block.text) for block in article.blocks),
        "width": WIDTH,
        "layout_best_ms": _ms(min(mine)),
        "layout_p50_ms": _ms(p50),
        "layout_p95_ms": _ms(p95),
        "rich_wrap_best_ms": _ms(min(baseline)),
        "rich_wrap_p50_ms": _ms(rich50),
        "rich_wrap_p95_ms": _ms(_percentile(baseline, 0.95)),
        "ratio_to_rich_p50": round(p50 / rich50, 2),
        "ratio_to_rich_best": round(min(mine) / min(baseline), 2),
        "resize_p50_ms": _ms(statistics.median(resize)),
        "resize_max_ms": _ms(max(resize)),
        "target_ms": 20,
        "meets_target": p95 <= 0.020,
    }


def _quality(lines_per_paragraph: list[list[str]], widths: list[int]) -> dict[str, Any]:
    total = closing = opening = split = 0
    worst = 0
    for lines, width in zip(lines_per_paragraph, widths, strict=True):
        total += len(lines)
        for number, line in enumerate(lines):
            body = line.lstrip("\u3000")
            if number and body[:1] in CLOSING:
                closing += 1
            if number + 1 < len(lines):
                if line.rstrip()[-1:] in OPENING:
                    opening += 1
                nxt = lines[number + 1]
                if _LATIN.match(line[-1:]) and _LATIN.match(nxt[:1]):
                    split += 1
                worst = max(worst, width - cell_len(line.rstrip()))
    return {
        "lines": total,
        "start_with_closing_pct": round(100 * closing / max(total, 1), 2),
        "end_with_opening": opening,
        "split_latin_words": split,
        "max_shortfall_cells": worst,
    }


def quality(paragraphs: list[str], widths: range) -> dict[str, Any]:
    console = Console(width=200, file=open("/dev/null", "w"), color_system=None)  # noqa: SIM115
    rich_lines: list[list[str]] = []
    our_lines: list[list[str]] = []
    used: list[int] = []
    options = LayoutOptions(measure=0)
    for width in widths:
        for text in paragraphs:
            wrapped = Text(PARAGRAPH_INDENT + text).wrap(console, width)
            rich_lines.append([line.plain for line in wrapped])
            laid = layout_paragraph(text, width, options, indent=PARAGRAPH_INDENT)
            our_lines.append([line.text for line in laid])
            used.append(width)
    return {"rich": _quality(rich_lines, used), "typeset": _quality(our_lines, used)}


def run(quick: bool = False) -> dict[str, Any]:
    paragraphs = seed_paragraphs()
    article = big_article(paragraphs)
    return {
        "timing": timing(article, repeats=16 if quick else 64),
        "quality_seed_widths_20_80": quality(paragraphs, range(20, 81, 6 if quick else 1)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and widths")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    figures = run(quick=args.quick)
    t = figures["timing"]
    print(
        f"layout {t['article_chars']} chars at width {t['width']}: best {t['layout_best_ms']} ms, "
        f"p50 {t['layout_p50_ms']} ms, p95 {t['layout_p95_ms']} ms "
        f"(target <= {t['target_ms']} ms at p95: {'met' if t['meets_target'] else 'NOT met'})"
    )
    print(
        f"Rich Text.wrap, same text: best {t['rich_wrap_best_ms']} ms, "
        f"p50 {t['rich_wrap_p50_ms']} ms, p95 {t['rich_wrap_p95_ms']} ms; "
        f"ratio ours/Rich p50 {t['ratio_to_rich_p50']}, best {t['ratio_to_rich_best']}"
    )
    print(f"re-layout on resize: p50 {t['resize_p50_ms']} ms, max {t['resize_max_ms']} ms")
    q = figures["quality_seed_widths_20_80"]
    for name in ("rich", "typeset"):
        row = q[name]
        print(
            f"{name:8} lines {row['lines']:6}  start with closing {row['start_with_closing_pct']}%"
            f"  end with opening {row['end_with_opening']}  split words {row['split_latin_words']}"
            f"  max shortfall {row['max_shortfall_cells']} cells"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
