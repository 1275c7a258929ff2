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
