"""Snapshots of the section list: issues, publications, bookmarks, a new issue, Enter on an issue.

Regenerate after a deliberate change with
`pytest tests/ui/snapshots/test_list.py --snapshot-update`, and look at snapshot_report.html.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from bulletin_tui.state import State
from tests.ui.snapshots.support import SIZES, SnapCompare, keys, size_id
from tests.ui_fixtures import make_app, settle, write_library


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_main_screen(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    library = write_library(tmp_path / "library")
    state = State(read={"2024-10-08.3"}, bookmarks=["2024-10-08.4"])
    app = make_app([library], state=state)
    assert snap_compare(app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_enter_on_an_issue(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Enter on the older issue opens its first unread article; titles cut with …."""
    library = write_library(tmp_path / "library")
    state = State(read={"2024-10-01.1"})
    app = make_app([library], state=state)
    assert snap_compare(app, terminal_size=size, run_before=keys("G", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=size_id)
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


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_publications(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    from tests.core.test_publications import three_bulletins

    # The sample, a campus newsletter and a daily digest: publications above their issues, the
    # second one opened by keyboard.
    state = State(read={"2024-09-27.1", "2024-09-27.2", "xwlb-2024-11-21.1"})
    app = make_app(three_bulletins(tmp_path), state=state)
    assert snap_compare(app, terminal_size=size, run_before=keys(*"jjjjjj", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_bookmarks_view(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    library = write_library(tmp_path / "library")
    state = State(bookmarks=["2024-10-01.2", "2024-10-08.1", "2024-10-08.2"])
    app = make_app([library], state=state)
    assert snap_compare(app, terminal_size=size, run_before=keys("B"))
