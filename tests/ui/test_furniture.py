"""With ambiguous_width = 2 the reader's furniture (pane separator, scrollbars, tree guides,
borders, progress bar) uses only characters every terminal draws one cell wide."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.config import Config
from bulletin_tui.ui.sparkline import TrendLine
from tests.ui_fixtures import long_article_issue, make_app, screen_text, settle, write_library


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
async def test_a_cut_title_ends_in_ascii_where_ambiguous_is_wide(
    tmp_path: Path, width: int
) -> None:
    # … is ambiguous too: where it took two cells, every cut title in the list pushed the pane
    # separator one cell to the right.
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
        sidebar = [
            line.split("▏" if width == 1 else "|")[0] for line in screen_text(app).splitlines()
        ]
        cut = [row.rstrip() for row in sidebar if "关于进一步" in row]
        assert len(cut) == 1
        if width == 2:
            assert "…" not in screen_text(app) and cut[0].endswith("..")
        else:
            assert cut[0].endswith("…")
