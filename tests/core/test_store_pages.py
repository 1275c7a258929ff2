"""An article's blocks in the cache: stored in pages, read back a page at a time, equal to the parse.

An article of millions of paragraphs must open as fast as a short one: nothing may build all its
blocks at once, and reading it through keeps only a few pages of them alive. Its lines are laid
out from any block on, and kept in a LineTable that reads back as the list of them.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from bulletin_tui import block_pages, sources
from bulletin_tui.block_pages import PAGE_BLOCKS, PagedBlocks
from bulletin_tui.library import open_library
from bulletin_tui.model import Article, Block, block_at, block_links, block_start
from bulletin_tui.typeset import LayoutOptions, LineTable, iter_layout_article, layout_article
from bulletin_tui.typeset.line_table import CHUNK

# Every kind of block, with links, levels and tables, repeated across page boundaries.
MIXED = """\
### 小标题{n}

第{n}段，见[网站{n}](https://example.com/{n})。

| 项目 | 数{n} |
|---|---|
| 甲 | {n} |

- 一{n}
- 二{n}

1. 甲{n}
2. 乙{n}

> 引文{n}。

记者 丽娜 摄
"""


def _write(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = f"# 分页 2025-03-01\n\n## 一篇很长的文章\n\n本报讯 开头。\n\n{body}"
    (folder / "2025-03-01.md").write_text(text, encoding="utf-8")
    return folder


def _live_blocks() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if type(thing) is Block)


def test_a_long_mixed_article_comes_back_from_its_pages_as_parsed(tmp_path: Path) -> None:
    folder = _write(tmp_path / "library", "\n".join(MIXED.format(n=n) for n in range(400)))
    fresh, errors = sources.load_all([folder])
    assert errors == []
    expected = fresh[0].articles[0]
    assert len(expected.blocks) > 2 * PAGE_BLOCKS  # several pages, kinds split across them
    cached = open_library([folder], cache_dir=tmp_path / "cache").issues[0].articles[0]
    blocks = cached.blocks
    assert isinstance(blocks, PagedBlocks)
    assert len(blocks) == len(expected.blocks)
    assert blocks == expected.blocks and expected.blocks == blocks
    assert hash(blocks) == hash(tuple(expected.blocks))
    assert cached.body_text == expected.body_text
    assert cached == expected
    for at in (0, PAGE_BLOCKS - 1, PAGE_BLOCKS, 2 * PAGE_BLOCKS + 1, -1, -PAGE_BLOCKS - 1):
        assert blocks[at] == expected.blocks[at]
    assert (
        blocks[PAGE_BLOCKS - 3 : PAGE_BLOCKS + 3]
        == expected.blocks[PAGE_BLOCKS - 3 : PAGE_BLOCKS + 3]
    )
    with pytest.raises(IndexError):
        blocks[len(blocks)]
    # The block at an offset, by the page table, is the one a count from the start finds.
    plain = tuple(expected.blocks)
    body = expected.body_text
    for offset in (0, 1, len(body) // 3, len(body) // 2, len(body) - 1, len(body) + 5):
        assert block_at(blocks, offset) == block_at(plain, offset)
        number = block_at(plain, offset)
        start = len("\n\n".join(block.text for block in plain[:number])) + (2 if number else 0)
        assert start <= offset or number == 0


def test_a_copy_under_another_path_has_the_same_pages(tmp_path: Path) -> None:
    folder = _write(tmp_path / "one", "\n".join(MIXED.format(n=n) for n in range(200)))
    other = tmp_path / "two"
    other.mkdir()
    (other / "2025-03-01.md").write_bytes((folder / "2025-03-01.md").read_bytes())
    library = open_library([folder, other], cache_dir=tmp_path / "cache")
    first, second = (issue.articles[0] for issue in library.issues)
    assert first.blocks == second.blocks and len(second.blocks) > PAGE_BLOCKS


def test_blocks_are_built_a_page_at_a_time_and_only_a_few_pages_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = 12 * PAGE_BLOCKS
    folder = _write(tmp_path / "library", "".join(f"第{n}段。\n\n" for n in range(count)))
    open_library([folder], cache_dir=tmp_path / "cache")  # parse and store, then let it go
    monkeypatch.setattr(block_pages, "KEPT_PAGES", 3)
    before = _live_blocks()
    article: Article = (
        open_library([folder], cache_dir=tmp_path / "cache", refresh=False).issues[0].articles[0]
    )
    assert len(article.blocks) == count + 1
    assert _live_blocks() - before == 0  # how many there are is known without building one
    assert article.blocks[-1].text == f"第{count - 1}段。"
    assert article.blocks[0].text == "本报讯 开头。"
    assert _live_blocks() - before <= 2 * PAGE_BLOCKS  # the first page and the last
    seen = 0
    for block in article.blocks:
        seen += 1
        assert block.kind == "paragraph"
    assert seen == count + 1
    assert _live_blocks() - before <= 3 * PAGE_BLOCKS  # read through, three pages kept
    assert article.body_text.endswith(f"第{count - 1}段。")


def test_lines_kept_in_a_table_read_back_as_laid_out(tmp_path: Path) -> None:
    folder = _write(tmp_path / "library", "\n".join(MIXED.format(n=n) for n in range(700)))
    article = open_library([folder], cache_dir=tmp_path / "cache").issues[0].articles[0]
    options = LayoutOptions(measure=30)
    lines = layout_article(article, 50, options)
    assert len(lines) > 2 * CHUNK  # the texts of several chunks
    table = LineTable()
    for part in iter_layout_article(article, 50, options):
        table.extend(part)
    assert len(table) == len(lines)
    assert list(table) == lines  # every field: text, style, block, offsets, indent, cells…
    assert table[-1] == lines[-1] and table[CHUNK] == lines[CHUNK]
    assert table[3:9] == lines[3:9]
    with pytest.raises(IndexError):
        table[len(lines)]


def test_laying_out_from_a_block_keeps_its_number_and_offset(tmp_path: Path) -> None:
    folder = _write(tmp_path / "library", "\n".join(MIXED.format(n=n) for n in range(300)))
    article = open_library([folder], cache_dir=tmp_path / "cache").issues[0].articles[0]
    whole = layout_article(article, 60)
    first = PAGE_BLOCKS + 7
    parts = list(iter_layout_article(article, 60, first=first))
    body = [line for part in parts[1:] for line in part]
    assert parts[0] == [line for line in whole if line.block is None][: len(parts[0])]
    assert body == whole[len(whole) - len(body) :]
    assert body[1].block == first and body[1].offset == block_start(article.blocks, first)
    assert block_start(article.blocks, first) == block_start(tuple(article.blocks), first)


def test_an_unchanged_article_reloaded_is_equal_without_building_its_blocks(
    tmp_path: Path,
) -> None:
    """After every refresh the reader asks whether the article shown changed: for 1.9 million
    paragraphs, building every block of both to compare them froze it for minutes."""
    count = 6 * PAGE_BLOCKS
    folder = _write(tmp_path / "library", "".join(f"第{n}段。\n\n" for n in range(count)))
    library = open_library([folder], cache_dir=tmp_path / "cache")
    shown = library.issues[0].articles[0]
    assert len(shown.blocks) == count + 1
    before = _live_blocks()
    issues, _errors = library.cache.load()
    reloaded = issues[0].articles[0]
    assert reloaded == shown and shown == reloaded  # the same row of the same cache
    other = open_library([folder], cache_dir=tmp_path / "cache", refresh=False)
    elsewhere = other.issues[0].articles[0]
    assert elsewhere.blocks == shown.blocks  # another connection: by the stored pages
    assert _live_blocks() - before == 0
    changed = _write(tmp_path / "changed", "".join(f"第{n}段。\n\n" for n in range(count - 1)))
    assert open_library([changed], cache_dir=tmp_path / "c2").issues[0].articles[0] != shown


def test_the_links_of_a_long_article_are_found_in_the_pages_that_hold_them(
    tmp_path: Path,
) -> None:
    """L lists every address of the article: it built all 1.9 million blocks to find none."""
    folder = _write(tmp_path / "mixed", "\n".join(MIXED.format(n=n) for n in range(300)))
    fresh = sources.load_all([folder])[0][0].articles[0]
    cached = open_library([folder], cache_dir=tmp_path / "c1").issues[0].articles[0]
    assert list(block_links(cached.blocks)) == list(block_links(fresh.blocks))
    assert len(list(block_links(cached.blocks))) == 300
    count = 8 * PAGE_BLOCKS
    body = "".join(f"第{n}段。\n\n" for n in range(count)) + "见[网站](https://example.com/end)。\n"
    folder = _write(tmp_path / "long", body)
    open_library([folder], cache_dir=tmp_path / "c2")
    article = open_library([folder], cache_dir=tmp_path / "c2", refresh=False).issues[0].articles[0]
    before = _live_blocks()
    assert [link.url for link in block_links(article.blocks)] == ["https://example.com/end"]
    assert _live_blocks() - before <= PAGE_BLOCKS  # the last page only
