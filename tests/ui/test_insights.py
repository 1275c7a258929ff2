"""The reader's keyword line, related articles view and search trend, driven with Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from bulletin_tui.ui.bookmarks import BookmarkList
from bulletin_tui.ui.related import RelatedScreen
from bulletin_tui.ui.sparkline import TrendLine, bucket, labels, spark, spread
from tests.ui_fixtures import SEED, make_app, settle, settle_keywords, write_library

ZHAOSHANG = f"{SEED.stem}.2"


async def test_the_keyword_line_sits_under_the_title() -> None:
    app = make_app([SEED])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.main_screen.open_article(ZHAOSHANG)
        await settle_keywords(pilot)
        reader = app.main_screen.reader
        lines = reader.all_lines()
        assert lines[0] == "招商引资蹄疾步稳"
        assert lines[1].split(" · ")[0] == "招商" and "签约" in lines[1]
        assert "本报讯" not in lines[1]
        assert reader._lines[1].role == "keywords"
        # Another article: its own keywords replace them.
        app.main_screen.open_article(f"{SEED.stem}.1")
        await settle_keywords(pilot)
        assert reader.all_lines()[1].startswith("党建")


async def test_related_articles_open_with_enter(tmp_path: Path) -> None:
    app = make_app([write_library(tmp_path / "library")])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main_screen.open_article("2024-10-08.2")  # the library opening late
        await settle_keywords(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RelatedScreen)
        entries = screen.entries or []
        assert entries and entries[0].article_id == "2024-10-01.1"  # 图书馆 照常开放
        assert "图书馆" in entries[0].shared
        assert "2024-10-08.2" not in [entry.article_id for entry in entries]
        await pilot.press("enter")
        await settle_keywords(pilot)
        assert not isinstance(app.screen, RelatedScreen)
        assert app.main_screen.reader.article_id == "2024-10-01.1"
        # From the command palette too; Esc closes it without opening anything.
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Related articles")
        await settle(pilot)  # the palette's search (a worker) has its hits listed
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.main_screen.reader.article_id == "2024-10-01.1"


def _first_lines_and_room(related: BookmarkList) -> tuple[list[str], int]:
    """The first line of each entry, and the cells the list leaves room for."""
    firsts = [
        related.get_option_at_index(n).prompt.plain.split("\n")[0]
        for n in range(related.option_count)
    ]
    return firsts, related.scrollable_content_region.width - 3  # room for a scrollbar


async def test_related_titles_fit_the_list_as_laid_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each entry's first line is as wide as the list leaves room for, its date flush right,
    even when the results come before the list is laid out: on a busy machine the refresh that
    was to follow the layout came first, and the titles were fitted to a guess a cell too wide.
    Here every callback after a refresh runs at once, as it did then."""
    monkeypatch.setattr(RelatedScreen, "call_after_refresh", lambda self, call, *args: call(*args))
    app = make_app([write_library(tmp_path / "library")])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.main_screen.open_article("2024-10-08.2")
        await settle_keywords(pilot)
        await pilot.press("R")
        await settle(pilot)
        firsts, room = _first_lines_and_room(app.screen.query_one(BookmarkList))
        assert firsts and {cell_len(line) for line in firsts} == {room}
        await pilot.resize_terminal(80, 24)  # and fitted again to a new width
        await settle(pilot)
        firsts, room = _first_lines_and_room(app.screen.query_one(BookmarkList))
        assert firsts and {cell_len(line) for line in firsts} == {room} and room < 83


async def test_the_trend_follows_the_query(tmp_path: Path) -> None:
    app = make_app([write_library(tmp_path / "library")])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"图书馆")
        await settle(pilot)
        trend_line = app.main_screen.query_one(TrendLine)
        assert trend_line.display and trend_line.trend is not None
        assert trend_line.trend.counts == (("2024-W40", 1), ("2024-W41", 1))
        bars, dates = trend_line.render().plain.split("\n")
        assert len(bars) == len(dates) == trend_line.content_region.width  # the pane's width
        await pilot.press(*" 十点")
        await settle(pilot)
        assert trend_line.trend is not None
        assert trend_line.trend.counts == (("2024-W40", 0), ("2024-W41", 1))
        for _ in range(6):
            await pilot.press("backspace")
        await settle(pilot)
        assert not trend_line.display


def test_the_sparkline_drawing() -> None:
    assert bucket([1, 2, 3, 4, 5], 2) == [6, 9]
    assert bucket([1, 2], 10) == [1, 2]
    assert spark([0, 1, 8]) == "▁▂█"
    # The bars fill the pane: 18 buckets of 35 weeks over 34 columns took 18 of them.
    assert sum(spread(18, 34)) == 34 and set(spread(18, 34)) == {1, 2}
    assert spread(2, 34) == [17, 17] and spread(34, 34) == [1] * 34 and spread(0, 10) == []
    assert labels("2024-09", "2025-05", "month", 30) == "2024-09   per month    2025-05"
    assert labels("2024-09", "2025-05", "month", 15) == "2024-09 2025-05"
