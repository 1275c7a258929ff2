"""less and vi paging keys in the reader, the section list, the results and the help screen."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll

from bulletin_tui.ui.help import HelpScreen, column_height, split_columns
from bulletin_tui.ui.hit_list import HitList
from tests.ui_fixtures import SEED, long_article_issue, make_app, screen_text, settle


async def test_ctrl_d_u_f_b_page_the_reader(tmp_path: Path) -> None:
    long_article_issue(tmp_path)
    app = make_app([tmp_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        reader = app.main_screen.reader
        height = reader.scrollable_content_region.height
        assert reader.has_focus and reader.scroll_y == 0
        await pilot.press("ctrl+d")
        assert reader.scroll_y == height // 2
        await pilot.press("ctrl+d")
        assert reader.scroll_y == 2 * (height // 2)
        await pilot.press("ctrl+u")
        assert reader.scroll_y == height // 2
        await pilot.press("ctrl+f")
        assert reader.scroll_y == height // 2 + height - 1  # a line of context kept, as in less
        await pilot.press("ctrl+b", "ctrl+u")
        assert reader.scroll_y == 0


async def test_ctrl_d_u_f_b_move_the_list_cursor(tmp_path: Path) -> None:
    for day in range(1, 29):  # more issues than a screen holds
        text = f"# 南哪消息 2024-02-{day:02d}\n\n## 第{day}篇\n\n正文。\n"
        (tmp_path / f"2024-02-{day:02d}.md").write_text(text, encoding="utf-8")
    app = make_app([tmp_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.main_screen.sections
        height = tree.scrollable_content_region.height
        assert tree.has_focus and tree.cursor_line == 0
        await pilot.press("ctrl+d")
        assert tree.cursor_line == height // 2
        await pilot.press("ctrl+u")
        assert tree.cursor_line == 0
        await pilot.press("ctrl+f")
        assert tree.cursor_line == height - 1
        await pilot.press("ctrl+f", "ctrl+f", "ctrl+f")
        assert tree.cursor_line == tree.last_line  # stops at the end
        await pilot.press("ctrl+b")
        assert tree.cursor_line == tree.last_line - (height - 1)


async def test_ctrl_d_and_f_move_through_the_results(tmp_path: Path) -> None:
    long_article_issue(tmp_path)
    for day in range(1, 21):
        text = f"# 南哪消息 2024-03-{day:02d}\n\n## 招商第{day}篇\n\n招商工作稳步推进。\n"
        (tmp_path / f"2024-03-{day:02d}.md").write_text(text, encoding="utf-8")
    app = make_app([tmp_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "招", "商")
        await settle(pilot)
        await pilot.press("down")
        hits = app.main_screen.query_one(HitList)
        assert hits.has_focus and hits.highlighted == 0 and hits.option_count > 10
        await pilot.press("ctrl+d")
        half = hits.highlighted
        assert half is not None and half >= 1
        await pilot.press("ctrl+f")
        page = hits.highlighted
        assert page is not None and page > half
        await pilot.press("ctrl+b", "ctrl+u")
        assert hits.highlighted == 0


async def test_the_help_fits_80x24_and_scrolls_with_j_k_g_g_where_it_does_not() -> None:
    app = make_app([SEED])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body", VerticalScroll)
        assert body.max_scroll_y == 0  # all of it on one screen
        text = screen_text(app)
        for row in ("Bookmarks", "Half a page down / up", "Expand / collapse", "Quit"):
            assert row in text
        # Everywhere is longer than the screen: its last row goes on in the right column, under
        # its title (a bare "q Quit" there read as a group of its own).
        assert "Everywhere (cont.)" in text
    app = make_app([SEED])
    async with app.run_test(size=(60, 16)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        body = app.screen.query_one("#help-body", VerticalScroll)
        assert body.max_scroll_y > 0
        await pilot.press("j", "j")
        assert body.scroll_y == 2
        await pilot.press("k")
        assert body.scroll_y == 1
        await pilot.press("G")
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("g")
        assert body.scroll_y == 0
        await pilot.press("escape")
        assert app.screen is app.main_screen


async def test_space_pages_on_from_an_issue_into_its_unread_articles(tmp_path: Path) -> None:
    from bulletin_tui.state import State
    from tests.ui_fixtures import write_library

    library = write_library(tmp_path / "library")
    app = make_app([library], state=State(read={"2024-10-08.2"}))
    async with app.run_test(size=(80, 16)) as pilot:
        await settle(pilot)
        reader = app.main_screen.reader
        await pilot.press("enter")  # on the newest issue: its first unread article
        await settle(pilot)
        assert reader.article_id == "2024-10-08.1" and reader.has_focus
        assert reader.max_scroll_y > 0  # longer than the screen
        pages = 0
        while reader.article_id == "2024-10-08.1" and pages < 10:
            at_end = reader.scroll_y == reader.max_scroll_y
            await pilot.press("space")  # pages down to the end first
            await settle(pilot)
            pages += 1
        assert at_end and pages >= 2
        # Then on, past the read .2, to the next unread.
        assert reader.article_id == "2024-10-08.3" and "2024-10-08.3" in app.state.read
        await pilot.press("G", "pagedown", "ctrl+f")  # only Space goes on to the next
        await settle(pilot)
        assert reader.article_id == "2024-10-08.3"


def test_a_group_longer_than_the_rest_goes_on_in_the_right_column() -> None:
    rows = [(f"k{n}", f"action {n}") for n in range(22)]
    left, right = split_columns([("Everywhere", rows), ("Lists", rows[:6]), ("Built in", rows[:5])])
    assert left == [("Everywhere", rows[:18])]
    assert right == [("Everywhere (cont.)", rows[18:]), ("Lists", rows[:6]), ("Built in", rows[:5])]
    assert (column_height(left), column_height(right)) == (19, 20)
    # Groups that balance as they are stay whole.
    assert split_columns([("A", rows[:5]), ("B", rows[:5])]) == (
        [("A", rows[:5])],
        [("B", rows[:5])],
    )
