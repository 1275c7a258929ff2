"""Pathological but legal documents in the reader: an issue of thousands of headings paints
without making all their nodes first, and an article of tens of thousands of tiny paragraphs is
laid out in steps that let keys through, with G reaching its true end."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.pilot import Pilot

from bulletin_tui import block_pages
from bulletin_tui.block_pages import PAGE_BLOCKS, PagedBlocks
from bulletin_tui.model import Block
from bulletin_tui.typeset import OVERVIEW_ARTICLES, LineTable
from bulletin_tui.ui.app import BulletinApp
from bulletin_tui.ui.issue_tree import FIRST_ARTICLES
from bulletin_tui.ui.reader import Reader
from bulletin_tui.ui.section_list import SectionList
from tests.ui_fixtures import make_app, screen_text, settle, wait_until

HEADINGS = 3000
PARAGRAPHS = 30_000


def many_headings(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    parts = ["# 标题很多的一期 2025-01-01\n"]
    parts += [f"## 第{n}条消息\n\n正文{n}。\n" for n in range(HEADINGS)]
    (folder / "2025-01-01.md").write_text("\n".join(parts), encoding="utf-8")
    return folder


def many_paragraphs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    body = "".join(f"第{n}段。\n\n" for n in range(PARAGRAPHS))
    text = f"# 段落很多 2025-02-01\n\n## 一篇段落极多的文章\n\n{body}"
    (folder / "2025-02-01.md").write_text(text, encoding="utf-8")
    return folder


async def test_an_issue_of_thousands_of_headings_is_filled_in_lazily(tmp_path: Path) -> None:
    app = make_app([many_headings(tmp_path / "library")], index=False)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.main_screen.query_one(SectionList)
        # The first paint holds a screenful of the open issue, not all of it.
        assert len(tree._article_nodes) <= FIRST_ARTICLES
        reader = app.main_screen.query_one(Reader)
        assert len(reader.all_lines()) < OVERVIEW_ARTICLES + 20
        assert f"{HEADINGS - OVERVIEW_ARTICLES:,} more" in "\n".join(reader.all_lines())
        last = f"2025-01-01.{HEADINGS}"
        assert tree.select_article(last)  # a jump past what is filled in fills up to it
        assert tree.cursor_node is not None and tree.cursor_node.data.article_id == last
        await settle(pilot)
        # The rest arrives a chunk per frame.
        await wait_until(pilot, lambda: len(tree._article_nodes) == HEADINGS, "every heading")
        ids = [n.data.article_id for n in tree.root.children[0].children]
        assert ids == [f"2025-01-01.{n}" for n in range(1, HEADINGS + 1)]


async def test_an_article_of_tiny_paragraphs_lets_keys_through_and_g_reaches_its_end(
    tmp_path: Path,
) -> None:
    app = make_app([many_paragraphs(tmp_path / "library")], index=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article = app.library.issues[0].articles[0]
        reader = app.main_screen.query_one(Reader)
        seen_at_whole: list[float] = []
        take = reader._take_whole_layout

        def taking(token, lines) -> None:  # where the reader was when the rest arrived
            seen_at_whole.append(reader.scroll_y)
            take(token, lines)

        reader._take_whole_layout = taking
        app.main_screen.open_article(article.id)
        assert not reader.whole  # the first screens only, the rest in steps
        await pilot.press("j", "j", "G")
        await settle(pilot)
        await wait_until(pilot, lambda: reader.whole, "the whole layout")
        assert seen_at_whole and seen_at_whole[0] > 0, "the keys waited for the whole layout"
        await settle(pilot)
        assert reader.scroll_y == reader.max_scroll_y  # G went on to the true end
        assert f"第{PARAGRAPHS - 1}段" in screen_text(app)
        assert len(reader.all_lines()) > 2 * PARAGRAPHS - 2  # every paragraph and its gap


def _live_blocks() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if type(thing) is Block)


async def _until_shown(pilot: Pilot[int], app: BulletinApp, text: str) -> None:
    await wait_until(pilot, lambda: text in screen_text(app), f"{text} on the screen")


async def test_a_cached_article_of_tiny_paragraphs_paints_having_built_a_page_of_its_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening 1.9 million paragraphs froze the reader for seconds while the cache built a block
    for each: now the first screen needs the first page only, and reading on to the end keeps a
    few pages alive, whatever the article's length."""
    monkeypatch.setattr(block_pages, "KEPT_PAGES", 4)
    app = make_app([many_paragraphs(tmp_path / "library")], index=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        article = app.library.issues[0].articles[0]
        reader = app.main_screen.query_one(Reader)
        before = _live_blocks()
        app.main_screen.open_article(article.id)
        assert _live_blocks() - before <= PAGE_BLOCKS  # the first page, not 30,000 blocks
        assert isinstance(article.blocks, PagedBlocks)
        # The rest is laid out by a worker meanwhile, which on an idle machine may already be done:
        # what shows that opening did not wait for it is the page count just above.
        await _until_shown(pilot, app, "第0段")
        await pilot.press("G")
        await wait_until(pilot, lambda: reader.whole, "the whole layout")
        await settle(pilot)
        assert reader.scroll_y == reader.max_scroll_y
        assert f"第{PARAGRAPHS - 1}段" in screen_text(app)
        assert _live_blocks() - before <= 4 * PAGE_BLOCKS  # laid out to the end: four pages kept


async def test_a_place_deep_in_a_long_article_opens_at_once_and_stays_when_the_rest_comes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reopening at a place near the end laid out every paragraph before it, and G waited for
    the whole article: both now show a window of blocks around the place at once."""
    app = make_app([many_paragraphs(tmp_path / "library")], index=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        article = app.library.issues[0].articles[0]
        reader = app.main_screen.query_one(Reader)
        deep = article.body_text.index(f"第{PARAGRAPHS - 500}段")
        app.main_screen.state.positions[article.id] = deep
        before = _live_blocks()
        app.main_screen.open_article(article.id)
        assert len(reader.all_lines()) < 1000  # the title and a window, not 59,000 lines
        assert _live_blocks() - before <= 2 * PAGE_BLOCKS
        await _until_shown(pilot, app, f"第{PARAGRAPHS - 500}段")  # whole or not yet (see above)
        assert reader.top_offset() == deep
        await wait_until(pilot, lambda: reader.whole, "the whole layout")
        await settle(pilot)
        assert reader.whole and len(reader.all_lines()) > 2 * PAGE_BLOCKS
        assert reader.top_offset() == deep and f"第{PARAGRAPHS - 500}段" in screen_text(app)

        app.main_screen.state.positions.pop(article.id)
        held: list[tuple[int, object]] = []
        take = reader._take_whole_layout

        def holding(token, lines) -> bool:  # the rest, held back until the keys are handled
            held.append((token, lines))
            return True

        # On a busy machine the rest could come before the keys were handled, and then G went
        # to the true end without a window: the keys go first here, whatever the timing.
        reader._take_whole_layout = holding
        app.main_screen.open_article(article.id)
        await pilot.press("G", "g", "G")
        await settle(pilot)  # the keys handled, and the rest laid out (held)
        assert held and not reader.whole
        # G showed the end before the rest was laid out (then g the top, and G the end again).
        shown = "\n".join(reader.all_lines())
        assert f"第{PARAGRAPHS - 1}段" in shown and "第0段" not in shown
        take(*held[-1])
        await settle(pilot)
        assert reader.whole and reader.scroll_y == reader.max_scroll_y
        assert f"第{PARAGRAPHS - 1}段" in screen_text(app)

        # A line up from the end of 60,000 lines makes the lines it shows, not every line above
        # (each move asks where the top is: iterating to it made them all, seconds at 1.9 million).
        made = 0
        get_line = LineTable.__getitem__

        def counting(table, index):  # the real lookup, counted
            nonlocal made
            made += 1
            return get_line(table, index)

        monkeypatch.setattr(LineTable, "__getitem__", counting)
        await pilot.press("k", "k")
        await settle(pilot)
        assert 0 < made < 500
        assert reader.scroll_y == reader.max_scroll_y - 2
