"""A long document is parsed a piece at a time (bounded memory): the pieces give exactly the blocks
the whole would."""

from __future__ import annotations

import random

import pytest

from bulletin_tui.parse import markdown
from bulletin_tui.parse.markdown import chunks, raw_blocks
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
    monkeypatch.setattr(markdown, "CHUNK_CHARS", 300)
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
    pieces = chunks(text, markdown.CHUNK_CHARS)
    assert len(pieces) >= len(text) // markdown.CHUNK_CHARS
    assert max(len(piece) for piece in pieces) < markdown.CHUNK_CHARS + 100
