"""A long document is parsed a piece at a time (bounded memory): the pieces give exactly the blocks
the whole would."""

from __future__ import annotations

import pickle
import random
import tracemalloc

import pytest

from bulletin_tui import block_pages
from bulletin_tui.block_pages import PackedBlocks
from bulletin_tui.model import Issue
from bulletin_tui.parse import large_documents, parse_issue, structure
from bulletin_tui.parse.large_documents import chunks, raw_blocks
from tests.conftest import SEED

PARTS = [
    "## 标题{n}\n\n本报讯 第{n}段正文，内容较长。\n第二行接着写。\n\n",
    "- 列表一{n}\n- 列表二\n\n  列表里的第二段\n\n",
    "> 引用{n}\n>\n> 引用第二段\n\n",
    "```\n代码{n}\n\n代码里的空行之后\n```\n\n",
    "~~~~\n波浪{n}\n\n```\n仍在代码里\n~~~~\n\n",
    "| 甲 | 乙 |\n| --- | --- |\n| {n} | 二 |\n\n",
    "    缩进代码{n}\n\n    仍是代码\n\n",
    "段落{n}\n===\n\n",
    "1. 第一{n}\n2. 第二\n\n",
    "短段{n}。\n\n",
    "**粗体{n}** 与 [链接](http://example.com/{n})\n\n",
]


def _document(seed: int, parts: int = 400) -> str:
    rng = random.Random(seed)
    return "# 测试\n\n" + "".join(rng.choice(PARTS).format(n=n) for n in range(parts))


def _as_tuples(text: str) -> list[tuple[object, ...]]:
    return [
        (b.kind, b.text, b.level, b.rows, b.items, b.ordered, b.links, b.joinable)
        for b in raw_blocks(text)
    ]


@pytest.mark.parametrize("seed", range(6))
def test_pieces_parse_as_the_whole(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _document(seed)
    whole = _as_tuples(text)
    monkeypatch.setattr(large_documents, "CHUNK_CHARS", 300)
    assert len(chunks(text, 300)) > 10
    assert "".join(chunks(text, 300)) == text
    assert _as_tuples(text) == whole


def test_the_seed_issue_and_documents_with_references_stay_whole() -> None:
    seed = SEED.read_text(encoding="utf-8")
    assert "".join(chunks(seed, 200)) == seed
    referenced = "段落\n\n" * 200 + "[链接][a]\n\n" + "段落\n\n" * 200 + "[a]: http://example.com\n"
    assert chunks(referenced, 100) == [referenced]
    html = "段落\n\n" * 200 + "<pre>\n甲\n\n乙\n</pre>\n\n" + "段落\n\n" * 200
    assert chunks(html, 100) == [html]


def test_many_tiny_paragraphs_are_cut() -> None:
    text = "# 小段落\n\n## 文章\n\n" + "字段\n\n" * 200_000
    pieces = chunks(text, large_documents.CHUNK_CHARS)
    assert len(pieces) >= len(text) // large_documents.CHUNK_CHARS
    assert max(len(piece) for piece in pieces) < large_documents.CHUNK_CHARS + 100


def _issue_parts(issue: Issue) -> list[object]:
    parts: list[object] = [(issue.title, issue.date, issue.front_matter)]
    for article in issue.articles:
        parts.append((article.id, article.title, article.section, article.subtitles))
        parts.append((article.byline, article.photo_credits, tuple(article.blocks)))
    return parts


@pytest.mark.parametrize("seed", range(4))
def test_an_issue_parsed_in_pieces_and_packed_is_the_whole(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Raw blocks held compactly and an article's blocks packed into pages as they are made give
    the issue the whole document gives: small pieces and pages make every path run."""
    text = _document(seed) + "".join(f"短段{n}。\n\n" for n in range(300))
    whole = _issue_parts(parse_issue(text, path="x", issue_id="x"))
    monkeypatch.setattr(large_documents, "CHUNK_CHARS", 300)
    monkeypatch.setattr(block_pages, "PAGE_BLOCKS", 8)
    monkeypatch.setattr(structure, "PAGE_BLOCKS", 8)
    pieces = parse_issue(text, path="x", issue_id="x")
    assert any(isinstance(article.blocks, PackedBlocks) for article in pieces.articles)
    assert _issue_parts(pieces) == whole
    packed = next(a for a in pieces.articles if isinstance(a.blocks, PackedBlocks))
    assert packed.body_text == "\n\n".join(block.text for block in packed.blocks)
    # As a worker process hands it over.
    assert tuple(pickle.loads(pickle.dumps(packed.blocks))) == tuple(packed.blocks)


def test_tiny_paragraphs_cost_no_object_each_while_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """1.9 million one-line paragraphs held as raw blocks, then as blocks, until the whole issue was
    built took over a gigabyte: now a piece's blocks at a time are objects, the rest is text and
    packed pages. The most memory the parse ever holds, counted by tracemalloc, per paragraph:
    with an object per paragraph it was about 620 bytes, now about 220."""
    count = 10_000
    text = "# 段落很多 2025-02-01\n\n## 一篇文章\n\n" + "".join(
        f"第{n}段。\n\n" for n in range(count)
    )
    monkeypatch.setattr(large_documents, "CHUNK_CHARS", 8_000)
    parse_issue("# 先载入\n\n解析器的模块\n", path="y", issue_id="y")  # imports are not the parse's
    tracemalloc.start()
    try:
        issue = parse_issue(text, path="x", issue_id="x")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(issue.articles[0].blocks) == count
    assert peak / count < 300, f"{peak / count:.0f} bytes a paragraph"
