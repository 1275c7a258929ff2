"""Snapshots of the main screens at 100×30 and 80×24 (look at them: snapshot_report.html).

Regenerate after a deliberate change with `pytest tests/test_ui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from bulletin_tui.config import Config
from bulletin_tui.state import State
from tests.ui_fixtures import SEED, make_app, settle, settle_keywords, write_library

SIZES = [(100, 30), (80, 24)]
SnapCompare = Callable[..., bool]


def keys(*pressed: str) -> Callable[[Pilot[int]], Awaitable[None]]:
    async def run_before(pilot: Pilot[int]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle_keywords(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_main_screen(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    library = write_library(tmp_path / "library")
    state = State(read={"2024-10-08.3"}, bookmarks=["2024-10-08.4"])
    app = make_app([library], state=state)
    assert snap_compare(app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_open_article(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = make_app([SEED])
    assert snap_compare(app, terminal_size=size, run_before=keys("j", "j", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_search_with_results(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = make_app([SEED])
    assert snap_compare(app, terminal_size=size, run_before=keys("slash", "招", "商"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_article_with_matches(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = make_app([SEED])
    assert snap_compare(app, terminal_size=size, run_before=keys("slash", "招", "商", "enter", "n"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_help_screen(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = make_app([SEED])
    assert snap_compare(app, terminal_size=size, run_before=keys("question_mark"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_bookmarks_view(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    library = write_library(tmp_path / "library")
    state = State(bookmarks=["2024-10-01.2", "2024-10-08.1", "2024-10-08.2"])
    app = make_app([library], state=state)
    assert snap_compare(app, terminal_size=size, run_before=keys("B"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_search_preview(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    """The second of two hits highlighted: the reader previews it, its matches marked."""
    app = make_app([write_library(tmp_path / "library")])
    assert snap_compare(app, terminal_size=size, run_before=keys("slash", *"图书馆", "down", "j"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_publications(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    from tests.test_publications import three_bulletins

    # The sample, a campus newsletter and a daily digest: publications above their issues, the
    # second one opened by keyboard.
    state = State(read={"2024-09-27.1", "2024-09-27.2", "xwlb-2024-11-21.1"})
    app = make_app(three_bulletins(tmp_path), state=state)
    assert snap_compare(app, terminal_size=size, run_before=keys(*"jjjjjj", "enter"))


def test_sixteen_colours(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """TERM=xterm: the terminal's own palette; unread by weight and ▪, highlights in reverse."""
    library = write_library(tmp_path / "library")
    state = State(read={"2024-10-08.3"}, bookmarks=["2024-10-08.4"])
    app = make_app([library], state=state, color_system="standard")
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("j", "j", "enter", "n"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_new_issue_announced(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]
) -> None:
    """A file added while the reader runs, brought in with r: at the top, and announced."""
    library = write_library(tmp_path / "library")
    app = make_app([library])

    async def run_before(pilot: Pilot[int]) -> None:
        await settle(pilot)
        (library / "2024-10-15.md").write_text(
            "# 南哪消息 2024-10-15\n\n## 新学期开学典礼\n\n本报讯 开学典礼隆重举行。\n",
            encoding="utf-8",
        )
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_links_view(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    from tests.test_ui_links import MANY_LINKS

    library = write_library(tmp_path / "library")
    (library / "2024-11-01.md").write_text(MANY_LINKS, encoding="utf-8")
    app = make_app([library])
    assert snap_compare(app, terminal_size=size, run_before=keys("right_square_bracket", "L"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_enter_on_an_issue(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Enter on the older issue opens its first unread article; titles cut with …."""
    library = write_library(tmp_path / "library")
    state = State(read={"2024-10-01.1"})
    app = make_app([library], state=state)
    assert snap_compare(app, terminal_size=size, run_before=keys("G", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_search_with_a_trend(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]
) -> None:
    library = write_library(tmp_path / "library")
    app = make_app([library])
    assert snap_compare(app, terminal_size=size, run_before=keys("slash", "图", "书", "馆"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_related_articles(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    library = write_library(tmp_path / "library")
    app = make_app([library])
    assert snap_compare(app, terminal_size=size, run_before=keys("j", "j", "j", "enter", "R"))


def test_ambiguous_width_two(snap_compare: SnapCompare) -> None:
    """Furniture in ASCII and colour for a terminal drawing │ ▏ ▁ ━ ╭ two cells wide."""
    app = make_app([SEED], config=Config(ambiguous_width=2))
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("j", "enter"))
