"""Generate a deterministic library of bulletin issues for benchmarks.

Text comes from the nanna corpus (../shared/corpus/nanna relative to the repository root) when it
is present, else from the bundled seed issue. The same arguments always give the same files.

    python benchmarks/genlib.py DEST [--articles 10000] [--per-issue 10] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "nanna"
SEED_ISSUE = REPO / "seeds" / "000_7b733c25521b607c.txt"

ARTICLE_BYTES = 5000  # ~5 KB of UTF-8 per article: 10,000 articles ≈ 50 MB
SECTIONS = ("要闻", "活动预告", "参考消息", "校园生活", "学术动态", "通知公告")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞琳瑶宇浩然欣怡晨曦雨佳俊凯"

_MARKUP = re.compile(r"<[^>]*>|\[([^\]]*)\]\([^)]*\)|[*_`>|\\]")


def _clean(line: str) -> str:
    return _MARKUP.sub(lambda m: m.group(1) or "", line).strip()


def load_text(corpus: Path | None = None) -> tuple[list[str], list[str]]:
    """Paragraphs and titles to draw from: the corpus if present, else the seed issue."""
    folder = CORPUS if corpus is None else corpus
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if not files:
        files = [SEED_ISSUE]
    paragraphs: list[str] = []
    titles: list[str] = []
    for path in files:
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.startswith("## "):
                title = _clean(raw[3:])
                if 2 <= len(title) <= 40:
                    titles.append(title)
            elif raw.startswith(("#", "|", "-", " ", "!")):
                continue
            else:
                text = _clean(raw)
                if 20 <= len(text) <= 600:
                    paragraphs.append(text)
    # Sorted and deduplicated so the pools do not depend on the file system's order.
    return sorted(set(paragraphs)), sorted(set(titles))


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def _article(rng: random.Random, paragraphs: list[str], titles: list[str]) -> str:
    title = rng.choice(titles)
    reporter, correspondent = _name(rng), _name(rng)
    lines = [f"## {title}", ""]
    if rng.random() < 0.3:
        lines += [rng.choice(paragraphs)[:30], ""]  # a subtitle
    lines += [f"本报讯 (记者 {reporter} 通讯员 {correspondent}) {rng.choice(paragraphs)}", ""]
    size = len(lines[-2].encode())
    while size < ARTICLE_BYTES:
        paragraph = rng.choice(paragraphs)
        lines += [paragraph, ""]
        size += len(paragraph.encode()) + 2
    if rng.random() < 0.2:
        lines += [f"记者 {_name(rng)} 摄", ""]
    return "\n".join(lines)


def generate(
    dest: Path,
    articles: int = 10_000,
    per_issue: int = 10,
    seed: int = 1,
    corpus: Path | None = None,
) -> list[Path]:
    """Write `articles` articles, `per_issue` to an issue file, into `dest`; return the files."""
    paragraphs, titles = load_text(corpus)
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    first_day = date(2020, 1, 1)
    for number in range(-(-articles // per_issue)):
        day = first_day + timedelta(days=number)
        count = min(per_issue, articles - number * per_issue)
        parts = [f"# 南哪消息 {day.isoformat()}", ""]
        sections = rng.sample(SECTIONS, k=min(len(SECTIONS), max(1, count // 4)))
        for index in range(count):
            if index % max(1, -(-count // len(sections))) == 0:
                parts += [f"# **{sections[index * len(sections) // count]}**", ""]
            parts.append(_article(rng, paragraphs, titles))
        path = dest / f"{day.isoformat()}.md"
        path.write_text("\n".join(parts), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--per-issue", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = generate(args.dest, args.articles, args.per_issue, args.seed)
    total = sum(path.stat().st_size for path in files)
    print(f"{len(files)} files, {args.articles} articles, {total / 1e6:.1f} MB in {args.dest}")


if __name__ == "__main__":
    main()
