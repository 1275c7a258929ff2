"""The bookmarks view: B lists every bookmarked article newest first; Enter opens, m removes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.state import State, library_key, load_state
from bulletin_tui.ui.bookmarks import BookmarkList, BookmarksScreen
from bulletin_tui.ui.reader import Reader
from bulletin_tui.ui.section_list import BOOKMARK_MARK, UNREAD_MARK
from tests.ui_fixtures import make_app, screen_text, settle, write_library

NEWER, OLDER = "2024-10-08", "2024-10-01"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "library")


def bookmark_rows(app) -> list[str]:
    rows = app.screen.query_one(BookmarkList)
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


async def test_b_lists_bookmarks_newest_issue_first_with_their_dates(library: Path) -> None:
    # Made oldest issue first: the view orders by the issue's date, not by when they were made.
    state = State(bookmarks=[f"{OLDER}.2", f"{NEWER}.1", f"{NEWER}.3"])
    app = make_app([library], state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        rows = bookmark_rows(app)
        assert [row.split()[0] for row in rows] == [
            "讲座预告",
            "招商引资再创新高",
            "食堂营业时间调整",
        ]
        assert [row.split()[-1] for row in rows] == [NEWER, NEWER, OLDER]
        text = screen_text(app)
        assert "Bookmarks" in text and "m removes" in text


async def test_enter_opens_the_bookmarked_article(library: Path) -> None:
    app = make_app([library], state=State(bookmarks=[f"{OLDER}.2", f"{NEWER}.1"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("B", "j", "enter")
        await settle(pilot)
        assert app.screen is app.main_screen
        assert app.main_screen.reader.article_id == f"{OLDER}.2"
        assert isinstance(app.focused, Reader)
        assert app.main_screen.sections.cursor_node.data.article_id == f"{OLDER}.2"


async def test_m_removes_a_bookmark_everywhere_and_it_is_saved(library: Path) -> None:
    app = make_app([library], state=State(bookmarks=[f"{NEWER}.1", f"{NEWER}.3"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        await pilot.press("m")  # the newest first: 讲座预告 (.3)
        await settle(pilot)
        assert app.state.bookmarks == [f"{NEWER}.1"]
        assert [row.split()[0] for row in bookmark_rows(app)] == ["招商引资再创新高"]
        await pilot.press("m")
        await settle(pilot)
        assert app.state.bookmarks == []
        assert "No bookmarks yet" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        node = app.main_screen.sections._article_nodes[f"{NEWER}.1"]
        assert str(node.label).startswith(UNREAD_MARK)
        app.save_state_now()
        saved, _notice = load_state()
        assert saved.bookmarks == []


async def test_the_view_follows_bookmarks_made_in_the_reader(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "m")
        await settle(pilot)
        node = app.main_screen.sections._article_nodes[f"{NEWER}.1"]
        assert str(node.label).startswith(BOOKMARK_MARK)
        await pilot.press("B")
        await settle(pilot)
        assert [row.split()[0] for row in bookmark_rows(app)] == ["招商引资再创新高"]
        await pilot.press("B")  # B closes it again
        await settle(pilot)
        assert app.screen is app.main_screen


async def test_a_bookmark_whose_article_is_gone_is_listed_and_can_be_removed(
    library: Path,
) -> None:
    made_here = {"1999-01-01.1": library_key([library])}  # bookmarked here, its file gone since
    state = State(bookmarks=["1999-01-01.1", f"{NEWER}.1"], bookmark_libraries=made_here)
    app = make_app([library], state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        assert bookmark_rows(app)[-1].split() == ["1999-01-01.1", "gone"]
        await pilot.press("G", "enter")  # it cannot be opened: the view stays
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("m")
        await settle(pilot)
        assert app.state.bookmarks == [f"{NEWER}.1"]


async def test_bookmarks_of_other_libraries_are_not_listed_as_gone(
    library: Path, tmp_path: Path
) -> None:
    """Made in the sample (or in a state file that did not say where): counted, not listed."""
    from tests.ui_fixtures import SEED

    sample = "000_7b733c25521b607c.2"
    state = State(
        bookmarks=[sample, f"{NEWER}.3", "2025-05-19.3"],
        bookmark_libraries={sample: library_key([SEED])},
    )
    app = make_app([library], state=state)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        assert [row.split()[0] for row in bookmark_rows(app)] == ["讲座预告"]
        text = screen_text(app)
        assert "gone" not in text and sample not in text and "2025-05-19.3" not in text
        assert "2 more in other libraries" in text
        await pilot.press("escape", "j", "j", "enter", "m")  # one made here says where
        await settle(pilot)
    assert state.bookmarks[-1] == f"{NEWER}.1"
    assert state.bookmark_libraries[f"{NEWER}.1"] == library_key([library])
    back = make_app([SEED], state=state)
    async with back.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        assert [row.split()[0] for row in bookmark_rows(back)] == ["招商引资蹄疾步稳"]
        assert "3 more in other libraries" in screen_text(back)


async def test_bookmarks_are_in_the_command_palette(library: Path) -> None:
    app = make_app([library], state=State(bookmarks=[f"{NEWER}.1"]))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.main_screen)}
        assert "Bookmarks" in titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Bookmarks")
        await settle(pilot)  # the palette's search (a worker) has its hits listed
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
