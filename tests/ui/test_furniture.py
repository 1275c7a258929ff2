"""With ambiguous_width = 2 the reader's furniture (pane separator, scrollbars, tree guides,
borders, progress bar) uses only characters every terminal draws one cell wide."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from bulletin_tui.config import Config
from bulletin_tui.typeset import cell_width
from bulletin_tui.ui.ambiguous_cells import measure_ambiguous_as_wide
from bulletin_tui.ui.sparkline import TrendLine
from tests.ui_fixtures import (
    SEED,
    long_article_issue,
    make_app,
    screen_text,
    settle,
    write_library,
)


def furniture(app) -> set[str]:
    """Box-drawing and block characters on screen (all East Asian "ambiguous")."""
    return {c for c in screen_text(app) if 0x2500 <= ord(c) <= 0x259F}


@pytest.mark.parametrize("width", [1, 2])
async def test_furniture_is_one_cell_everywhere_when_ambiguous_is_wide(
    tmp_path: Path, width: int
) -> None:
    library = write_library(tmp_path / "library")
    long_article_issue(library)
    app = make_app([library], config=Config(ambiguous_width=width))
    seen: set[str] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the long article: a scrollbar
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        seen |= furniture(app)
        app.main_screen.show_progress((3, 10))  # the progress bar
        await pilot.pause(0.2)
        seen |= furniture(app)
        await pilot.press("question_mark")  # a bordered screen
        await settle(pilot)
        seen |= furniture(app)
        await pilot.press("escape", "slash", *"招商")  # hits ruled apart, the trend's bars
        await settle(pilot)
        assert app.main_screen.query_one(TrendLine).display
        seen |= furniture(app)
    if width == 2:
        assert seen == set()
    else:  # the same screens draw them in the default mode: the check can see them
        assert {"▏", "─", "▁", "█"} <= seen, seen


@pytest.mark.parametrize("width", [1, 2])
async def test_a_cut_title_ends_in_an_ellipsis_and_keeps_the_separator_in_place(
    tmp_path: Path, width: int
) -> None:
    # … is ambiguous too: where it took two cells but was counted as one, every cut title in the
    # list pushed the pane separator a cell to the right.
    library = write_library(tmp_path / "library")
    (library / "2024-09-01.md").write_text(
        "# 南哪消息 2024-09-01\n\n## 关于进一步加强和改进新时代学校招生宣传工作的若干意见\n\n正文。\n",
        encoding="utf-8",
    )
    app = make_app([library], config=Config(ambiguous_width=width))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("G", "right", "down")
        await settle(pilot)
        rows = screen_text(app).splitlines()
        cut = [row for row in rows if "关于进一步加强和" in row and "…" in row]
        assert len(cut) == 1  # in the list; the reader shows the title whole
        assert {cell_width(row, width) for row in rows} == {80}


async def test_every_row_is_as_wide_as_the_screen_where_ambiguous_is_wide(tmp_path: Path) -> None:
    # Rich counted “ ” · as one cell each: on a terminal drawing them two wide, a list row with a
    # quoted title came out longer than laid out, the separator moved right and the reader's line
    # beside it lost its last characters off the screen's edge (牵 and 党 in the sample).
    app = make_app([SEED], config=Config(ambiguous_width=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        await pilot.press("slash", *"党建")
        await settle(pilot)
        rows = screen_text(app).splitlines()
        assert any("“" in row for row in rows)
        assert {cell_width(row, ambiguous=2) for row in rows} == {80}, [
            row for row in rows if cell_width(row, ambiguous=2) != 80
        ]


def test_only_ambiguous_characters_change_their_measure() -> None:
    plain = ["abc", "中文", "e\u0301", "👍", "\u200b", "🏳\ufe0f"]
    before = [cell_len(text) for text in plain]
    measure_ambiguous_as_wide(True)
    try:
        wide = [cell_len(text) for text in ["“", "…", "·", "─", "α", "①", "🄐"]]
        after = [cell_len(text) for text in plain]
    finally:
        measure_ambiguous_as_wide(False)
    assert wide == [2] * 7 and after == before
    assert cell_len("“…") == 2
