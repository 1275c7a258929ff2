"""The section list at a glance: titles cut with …, unread counts in one right-aligned column,
and in the stacked narrow layout a hint for reaching the other pane."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from bulletin_tui.ui.labels import fit_label
from bulletin_tui.ui.status_line import StatusLine
from tests.ui_fixtures import make_app, screen_text, settle, write_library


def test_fit_label_cuts_in_cells_and_puts_the_count_flush_right() -> None:
    assert fit_label(Text("要闻"), 10, "2").plain == "要闻     2"
    cut = fit_label(Text("招商引资再创新高"), 10, "12")
    assert cut.plain == "招商引… 12" and cell_len(cut.plain) == 10
    assert fit_label(Text("招商引资再创新高"), 9).plain == "招商引资…"
    assert fit_label(Text("short"), 20).plain == "short"  # no padding without a count
    assert fit_label(Text("招商"), 3, "7").plain == "招…"  # no room for both: the title wins
    styled = fit_label(Text("abc"), 6, "3", Style(bold=True))
    assert styled.spans[-1].style == Style(bold=True)


async def test_titles_end_in_an_ellipsis_and_counts_line_up(tmp_path: Path) -> None:
    library = write_library(tmp_path / "library")
    long_title = "关于进一步加强和改进新时代学校招生宣传工作的若干意见和实施办法"
    (library / "2024-09-01.md").write_text(
        f"# 南哪消息 2024-09-01\n\n# **要闻**\n\n## {long_title}\n\n正文。\n\n## 短讯\n\n正文。\n",
        encoding="utf-8",
    )
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("G", "right")
        await settle(pilot)
        tree = app.main_screen.sections
        width = tree.region.width
        rows = [line.split("▏")[0] for line in screen_text(app).splitlines() if "▏" in line]
        cut = [row for row in rows if "关于进一步" in row]
        assert len(cut) == 1 and cut[0].rstrip().endswith("…")
        assert cell_len(cut[0].rstrip()) <= width - 1
        # Every count (issue and section rows) ends in the same column.
        counted = [row.rstrip() for row in rows if row.rstrip()[-1:].isdigit()]
        assert len(counted) >= 5
        assert len({cell_len(row) for row in counted}) == 1


async def test_the_narrow_layout_says_how_to_reach_the_other_pane(tmp_path: Path) -> None:
    app = make_app([write_library(tmp_path / "library")])
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        status = app.main_screen.query_one(StatusLine)
        assert status.left.startswith("tab reader")
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert app.main_screen.reader.has_focus and status.left.startswith("tab list")
        await pilot.press("tab")
        await settle(pilot)
        assert status.left.startswith("tab reader")
        await pilot.resize_terminal(100, 30)  # side by side again: no hint needed
        await settle(pilot)
        assert not status.left.startswith("tab")


async def test_counts_stay_lined_up_when_new_issues_bring_a_scrollbar(tmp_path: Path) -> None:
    # Rows drawn before the list needed a scrollbar kept their width after it came (the tree
    # caches its lines by the widget's width, which the scrollbar does not change).
    library = write_library(tmp_path / "library")
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.main_screen.sections
        assert not tree.show_vertical_scrollbar
        for day in range(1, 26):
            (library / f"2024-08-{day:02}.md").write_text(
                f"# 南哪消息 2024-08-{day:02}\n\n## 消息{day}\n\n正文。\n", encoding="utf-8"
            )
        await pilot.press("r")
        await settle(pilot)
        await pilot.pause(0.2)
        assert tree.show_vertical_scrollbar
        rows = [line.split("▏")[0] for line in screen_text(app).splitlines() if "▏" in line]
        counted = [row.rstrip(" ▁▂▃▄▅▆▇█") for row in rows]
        counted = [row for row in counted if row[-1:].isdigit()]
        assert len(counted) >= 15
        assert len({cell_len(row) for row in counted}) == 1, counted


@pytest.mark.parametrize("size", [(40, 12), (60, 20)], ids=["40x12", "60x20"])
async def test_the_hint_for_the_other_pane_shows_whole_when_narrow(tmp_path: Path, size) -> None:
    # At 40 columns the reader's place ("match 1/2  100%  5 / 11 articles") took the line and
    # the hint was cut to "tab…".
    app = make_app([write_library(tmp_path / "library")])
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"招商", "enter")
        await settle(pilot)
        status_row = screen_text(app).splitlines()[-1]
        assert app.main_screen.reader.has_focus
        assert status_row.strip().startswith("tab list"), status_row
        await pilot.press("tab")
        await settle(pilot)
        assert screen_text(app).splitlines()[-1].strip().startswith("tab reader")
        await pilot.press("slash")
        await settle(pilot)
        assert screen_text(app).splitlines()[-1].strip().startswith("Enter open")


async def test_an_issue_of_one_article_says_article(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "2024-10-15.md").write_text(
        "# 南哪消息 2024-10-15\n\n## 新学期开学典礼\n\n本报讯 开学典礼隆重举行。\n",
        encoding="utf-8",
    )
    app = make_app([folder])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = app.main_screen.query_one(StatusLine)
        assert status.right.endswith("  1 article")  # the issue's front page; not "1 articles"
        await pilot.press("enter")
        await settle(pilot)
        assert status.right.endswith("  1 / 1 article")
